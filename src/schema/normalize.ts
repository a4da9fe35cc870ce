/**
 * Validated input → normalized output: short forms expanded (`shell: ls` → `{cmd}`),
 * aliases folded (`file_replace`, `pattern`, `replacement`, `wait.path`), lists made
 * lists, durations in ms, retry/breaker policies filled with their defaults, modes as
 * octal strings. Runs only on input zod accepted.
 */
import type { z } from "zod";
import type { LoadedDoc } from "../load/index.js";
import type { BreakerPolicy, Diagnostic, RetryPolicy } from "../model/index.js";
import type { ACTION_SCHEMAS, ActionKey, ActionName } from "./actions.js";
import { parseDuration } from "./duration.js";
import type { COMMON_FIELDS, CommonField } from "./fields.js";
import { diagnostic } from "./issues.js";
import { numericMode } from "./mode.js";
import type { ActionCall, Expr, JsPath, Loop } from "./types.js";

export type CommonInput = { [K in CommonField]?: z.output<(typeof COMMON_FIELDS)[K]> };
type ActionInput<K extends ActionKey> = z.output<(typeof ACTION_SCHEMAS)[K]>;

export const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === "string" ? [v] : v;

export function exprs(v: string | boolean | string[] | undefined, path: JsPath): Expr[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.map((source, i) => ({ source, path: [...path, i] }));
  return [{ source: String(v), path }];
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

export function retryOf(input: CommonInput): RetryPolicy | null {
  if (input.retries !== undefined) {
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
    max_delay_ms: ms(r.max_delay),
    jitter: r.jitter ?? true,
    on: r.on === undefined ? ON_ANY : list(r.on),
  };
}

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
  const { mode, ...rest } = args;
  return { ...rest, ...modeOf(mode, [...path, "mode"], doc, errors) };
}

/** The canonical action call of a validated action value at `path` (the action key's path). */
export function actionCall(
  key: ActionKey,
  raw: unknown,
  path: JsPath,
  doc: LoadedDoc,
  errors: Diagnostic[],
): ActionCall {
  const name: ActionName = key === "file_replace" ? "replace" : key;
  switch (name) {
    case "shell": {
      const v = raw as ActionInput<"shell">;
      return { action: name, args: typeof v === "string" ? { cmd: v } : v };
    }
    case "command": {
      const v = raw as ActionInput<"command">;
      return { action: name, args: typeof v === "string" ? { cmd: v } : v };
    }
    case "print": {
      const v = raw as ActionInput<"print">;
      return { action: name, args: typeof v === "string" ? { msg: v } : v };
    }
    case "assert": {
      const { that, file, ...rest } = raw as ActionInput<"assert">;
      const args: ActionCall & { action: "assert" } = { action: name, args: rest };
      if (that !== undefined) args.args.that = exprs(that, [...path, "that"]);
      if (file !== undefined) args.args.file = withMode(file, [...path, "file"], doc, errors);
      return args;
    }
    case "replace": {
      const v = raw as ActionInput<"replace">;
      const args: ActionCall & { action: "replace" } = {
        action: name,
        args: {
          path: v.path,
          regexp: v.regexp ?? v.pattern ?? "",
          replace: v.replace ?? v.replacement ?? "",
        },
      };
      if (v.count !== undefined) args.args.count = v.count;
      if (v.backup !== undefined) args.args.backup = v.backup;
      return args;
    }
    case "wait": {
      const { path: file, file_exists, ...rest } = raw as ActionInput<"wait">;
      const target = file_exists ?? file;
      return { action: name, args: target === undefined ? rest : { ...rest, file_exists: target } };
    }
    case "file":
      return { action: name, args: withMode(raw as ActionInput<"file">, path, doc, errors) };
    case "template":
      return { action: name, args: withMode(raw as ActionInput<"template">, path, doc, errors) };
    case "copy":
      return { action: name, args: withMode(raw as ActionInput<"copy">, path, doc, errors) };
    case "unarchive":
      return { action: name, args: withMode(raw as ActionInput<"unarchive">, path, doc, errors) };
    case "download":
      return { action: name, args: withMode(raw as ActionInput<"download">, path, doc, errors) };
    case "package":
      return { action: name, args: raw as ActionInput<"package"> };
    case "service":
      return { action: name, args: raw as ActionInput<"service"> };
    case "lineinfile":
      return { action: name, args: withMode(raw as ActionInput<"lineinfile">, path, doc, errors) };
  }
}
