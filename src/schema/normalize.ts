/**
 * Validated input → normalized output: short forms expanded (`shell: ls` → `{cmd}`),
 * aliases folded (`file_replace`, `pattern`, `replacement`, `wait.path`), lists made
 * lists, durations in ms, retry/breaker policies filled with their defaults, modes as
 * octal strings. Runs only on input zod accepted.
 */
import type { z } from "zod";
import type { LoadedDoc } from "../load/index.js";
import type { BreakerPolicy, Diagnostic, RetryPolicy } from "../model/index.js";
import type { ActionKey, ActionName, ActionSchema } from "./actions.js";
import { parseDuration } from "./duration.js";
import type { COMMON_FIELDS, CommonField } from "./fields.js";
import { diagnostic } from "./issues.js";
import { numericMode } from "./mode.js";
import type { ActionCall, Expr, JsPath, Loop } from "./types.js";

export type CommonInput = { [K in CommonField]?: z.output<(typeof COMMON_FIELDS)[K]> };
type ActionInput<K extends ActionKey> = z.output<ActionSchema<K>>;

export const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : v;

/** Expressions; `true`/`false` written as booleans become the literals `True`/`False`. */
export function exprs(v: string | boolean | string[] | undefined, path: JsPath): Expr[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.map((source, i) => ({ source, path: [...path, i] }));
  return [{ source: typeof v === "boolean" ? (v ? "True" : "False") : v, path }];
}

export const ms = (v: unknown): number | null => (v === undefined ? null : parseDuration(v));

export function loopOf(input: CommonInput, path: JsPath): Loop | null {
  if (input.with_items !== undefined) {
    return { type: "with_items", items: input.with_items, path: [...path, "with_items"] };
  }
  if (input.with_filetree !== undefined) {
    return { type: "with_filetree", root: input.with_filetree, path: [...path, "with_filetree"] };
  }
  return null;
}

const ON_ANY = ["any"];

/**
 * SPEC-silent: mooncake's `retries: N` is N retries after the first attempt with a fixed
 * `retry_delay` (default 1s), on any failure (`retries: 0`: no retry policy); the full
 * `retry:` form defaults to 3 attempts, 1s delay, backoff 2, max delay 30s, jitter on.
 */
export function retryOf(input: CommonInput): RetryPolicy | null {
  if (input.retry === undefined && input.retries !== undefined) {
    if (input.retries === 0) return null;
    return {
      attempts: input.retries + 1,
      delay_ms: ms(input.retry_delay) ?? 1000,
      backoff: 1,
      max_delay_ms: null,
      jitter: false,
      on: ON_ANY,
    };
  }
  const r = input.retry;
  if (r === undefined) return null;
  return {
    attempts: r.attempts ?? 3,
    delay_ms: ms(r.delay) ?? 1000,
    backoff: r.backoff ?? 2,
    max_delay_ms: ms(r.max_delay) ?? 30_000,
    jitter: r.jitter ?? true,
    on: r.on === undefined ? ON_ANY : list(r.on),
  };
}

/** A `breaker:` given as a string is the key, with threshold 5 and cooldown 30s. */
export function breakerOf(input: CommonInput): BreakerPolicy | null {
  const b = input.breaker;
  if (b === undefined) return null;
  if (typeof b === "string") return { key: b, threshold: 5, cooldown_ms: 30_000 };
  return { key: b.key, threshold: b.threshold ?? 5, cooldown_ms: ms(b.cooldown) ?? 30_000 };
}

export function envOf(env: CommonInput["env"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (env) for (const [k, v] of Object.entries(env)) out[k] = String(v);
  return out;
}

/** Modes become octal strings; a number that cannot be a mode is reported. */
function modeOf(
  mode: string | number | undefined,
  path: JsPath,
  doc: LoadedDoc,
  errors: Diagnostic[],
): { mode?: string } {
  if (mode === undefined) return {};
  if (typeof mode === "string") return { mode };
  const octal = numericMode(mode, doc.scalarSource(path));
  if (octal !== null) return { mode: octal };
  const field = path.slice(-2).join(".");
  const message = `field '${field}' must be an octal mode such as "0644", got ${mode}`;
  errors.push(diagnostic("type", message, doc.locate(path)));
  return {};
}

function withMode<T extends { mode?: string | number | undefined }>(
  args: T,
  path: JsPath,
  doc: LoadedDoc,
  errors: Diagnostic[],
): Omit<T, "mode"> & { mode?: string } {
  if (args.mode === undefined) return args as Omit<T, "mode">;
  // In place, not appended: plans keep args in the order the playbook wrote them.
  const out: Record<string, unknown> = {};
  const { mode } = modeOf(args.mode, [...path, "mode"], doc, errors);
  for (const [k, v] of Object.entries(args))
    if (k !== "mode" || mode !== undefined) out[k] = k === "mode" ? mode : v;
  return out as Omit<T, "mode"> & { mode?: string };
}

/** `obj` with key `from` renamed to `to` in place (key order kept: plans hash it). */
function renamed<T extends Record<string, unknown>>(obj: T, from: string, to: string): T {
  if (!Object.hasOwn(obj, from)) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v;
  return out as T;
}

/** An action call and where its args are written when not at `[...actionPath, arg]`. */
export type LocatedCall = ActionCall & { arg_paths: Record<string, JsPath> };

/**
 * The canonical action call of a validated action value at `path` (the action key's
 * path). `raw` is the value as written, not zod's output: zod puts keys in schema
 * order, and the plan keeps args in the order the playbook wrote them.
 */
export function actionCall(
  key: ActionKey,
  raw: unknown,
  path: JsPath,
  doc: LoadedDoc,
  errors: Diagnostic[],
): LocatedCall {
  const name: ActionName = key === "file_replace" ? "replace" : key;
  const short = (arg: string): LocatedCall =>
    ({ action: name, args: { [arg]: raw }, arg_paths: { [arg]: path } }) as LocatedCall;
  const call = (args: unknown, arg_paths: Record<string, JsPath> = {}): LocatedCall =>
    ({ action: name, args, arg_paths }) as LocatedCall;
  switch (name) {
    case "shell":
    case "command":
      return typeof raw === "string" ? short("cmd") : call(raw);
    case "print":
      return typeof raw === "string" ? short("msg") : call(raw);
    case "assert": {
      const v = raw as ActionInput<"assert">;
      if (v.file === undefined) return call(v);
      return call({ ...v, file: withMode(v.file, [...path, "file"], doc, errors) });
    }
    case "replace": {
      // mooncake's names, folded: `pattern` → `regexp`, `replacement` → `replace`.
      const v = raw as ActionInput<"replace">;
      const arg_paths: Record<string, JsPath> = {};
      if (v.pattern !== undefined) arg_paths.regexp = [...path, "pattern"];
      if (v.replacement !== undefined) arg_paths.replace = [...path, "replacement"];
      const args = renamed(renamed(v, "pattern", "regexp"), "replacement", "replace");
      return call(args.replace === undefined ? { ...args, replace: "" } : args, arg_paths);
    }
    case "wait": {
      const v = raw as ActionInput<"wait">;
      if (v.path === undefined) return call(v);
      return call(renamed(v, "path", "file_exists"), { file_exists: [...path, "path"] });
    }
    case "package":
    case "service":
      return call(raw);
    case "file":
    case "template":
    case "copy":
    case "unarchive":
    case "download":
    case "lineinfile":
      return call(withMode(raw as ActionInput<"file">, path, doc, errors));
  }
}
