/**
 * Validation of one step and, recursively, of the steps nested in it. Keys are checked
 * first by hand (unknown, misplaced, several actions, none) for precise messages and
 * positions; then zod checks the field types of the step's kind; then the step is
 * normalized. Every error is collected; nothing stops at the first.
 */
import type { z } from "zod";
import type { LoadedDoc } from "../load/index.js";
import type { Diagnostic } from "../model/index.js";
import { ACTION_KEYS, type ActionKey, isActionKey } from "./actions.js";
import { describeValue } from "./describe.js";
import { COMMON_FIELDS, FIELDS_BY_KIND, type StepKind } from "./fields.js";
import { diagnostic, issuesToDiagnostics } from "./issues.js";
import { didYouMean } from "./suggest.js";
import {
  actionCall,
  breakerOf,
  type CommonInput,
  envOf,
  exprs,
  list,
  loopOf,
  ms,
  retryOf,
} from "./normalize.js";
import { parseSize } from "./size.js";
import type { StepSchemaFactory } from "./step-schemas.js";
import { safeParse } from "./parse.js";
import type { ExecFields, JsPath, StepBase, StepNode } from "./types.js";

export interface StepContext {
  doc: LoadedDoc;
  errors: Diagnostic[];
  schemas: StepSchemaFactory;
}

type Raw = Record<string, unknown>;
type Kind = { kind: Exclude<StepKind, "action">; key: string } | { kind: "action"; key: ActionKey };

const DIRECTIVES = new Set(["block", "include", "vars", "include_vars", "preset"]);
const GROUP_KEYS: Readonly<Record<string, readonly string[]>> = {
  block: ["rescue", "always"],
  parallel: [],
  preset: ["with"],
};
const ALL_KEYS = new Set<string>([
  ...ACTION_KEYS,
  ...DIRECTIVES,
  "parallel",
  "rescue",
  "always",
  "with",
  ...Object.keys(COMMON_FIELDS),
]);
const SOME_ACTIONS = "shell, command, file, template, copy, print, assert, wait";
const LABEL: Readonly<Record<StepKind, string>> = {
  action: "an action",
  block: "a block",
  parallel: "a parallel",
  include: "an include",
  preset: "a preset",
  vars: "a vars",
  include_vars: "an include_vars",
};

export const isMapping = (v: unknown): v is Raw =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function kindKeys(raw: Raw, keys: readonly string[]): Kind[] {
  const kinds: Kind[] = [];
  for (const key of keys) {
    if (isActionKey(key)) kinds.push({ kind: "action", key });
    else if (DIRECTIVES.has(key)) kinds.push({ kind: key as Exclude<StepKind, "action">, key });
    else if (key === "parallel" && (Array.isArray(raw[key]) || isMapping(raw[key]))) {
      kinds.push({ kind: "parallel", key });
    }
  }
  return kinds;
}

/** Unknown keys (with a hint) and keys that exist but not on this kind of step. */
function checkKeys(
  keys: readonly string[],
  kind: Kind | null,
  handler: boolean,
  path: JsPath,
  ctx: StepContext,
) {
  const allowed = new Set<string>(kind ? FIELDS_BY_KIND[kind.kind] : Object.keys(COMMON_FIELDS));
  if (kind) {
    allowed.add(kind.key);
    for (const k of GROUP_KEYS[kind.kind] ?? []) allowed.add(k);
  }
  if (handler) allowed.add("listen");
  let unknown = 0;
  for (const key of keys) {
    if (allowed.has(key) || (kind === null && ALL_KEYS.has(key))) continue;
    const pos = ctx.doc.locateKey([...path, key]);
    if (ALL_KEYS.has(key)) {
      const message =
        key === "listen"
          ? "field 'listen' is only valid on handlers"
          : `field '${key}' is not valid on ${LABEL[kind?.kind ?? "action"]} step`;
      ctx.errors.push(diagnostic("misplaced-key", message, pos));
    } else {
      const hint = didYouMeanKey(key, allowed);
      ctx.errors.push(diagnostic("unknown-key", `unknown field '${key}'`, pos, hint));
    }
    unknown++;
  }
  return unknown;
}

/** Ansible words with a different name here; a hint beats a bare "unknown field". */
const ANSIBLE_EQUIVALENTS: Readonly<Record<string, string>> = {
  debug: "use 'print: \"...\"' (or 'print: {msg: ...}')",
  loop: "use 'with_items:' (a list, or an expression that gives one)",
  with_list: "use 'with_items:'",
  until: "use 'retry:' ({attempts, delay, on}) or 'wait:'",
  delay: "use 'retry_delay:' with 'retries:', or 'retry: {delay: ...}'",
  become_method: "cairn becomes another user through 'sudo -n' only",
  get_url: "use 'download:' (url, dest, checksum)",
  apt: "use 'package:' (name, state, update_cache)",
  yum: "use 'package:' (name, state)",
  dnf: "use 'package:' (name, state)",
  systemd: "use 'service:' (name, state, enabled, daemon_reload)",
  import_tasks: "use 'include:'",
  include_tasks: "use 'include:'",
  set_fact: "use a 'vars:' step, or 'register:' for values computed at run time",
};

function didYouMeanKey(key: string, allowed: ReadonlySet<string>): string | null {
  return ANSIBLE_EQUIVALENTS[key] ?? didYouMean(key, [...allowed, ...ACTION_KEYS]);
}

function base(input: CommonInput, path: JsPath): StepBase {
  return {
    path,
    name: input.name ?? null,
    id: input.id ?? null,
    tags: list(input.tags),
    when: exprs(input.when, [...path, "when"]),
    needs: list(input.needs),
  };
}

function exec(input: CommonInput): ExecFields {
  return {
    become: input.become ?? null,
    become_user: input.become_user ?? null,
    env: envOf(input.env),
    cwd: input.cwd ?? null,
    ignore_errors: input.ignore_errors ?? null,
  };
}

function conflict(ctx: StepContext, path: JsPath, key: string, message: string): void {
  ctx.errors.push(diagnostic("conflict", message, ctx.doc.locateKey([...path, key])));
}

/** Rules that span fields of an action step. */
function checkActionFields(input: CommonInput, path: JsPath, ctx: StepContext): void {
  if (input.with_items !== undefined && input.with_filetree !== undefined) {
    conflict(ctx, path, "with_filetree", "a step has one loop: 'with_items' or 'with_filetree'");
  }
  if (input.retries !== undefined && input.retry !== undefined) {
    conflict(ctx, path, "retry", "use 'retries' (with 'retry_delay') or 'retry', not both");
  }
  if (input.retry_delay !== undefined && input.retries === undefined) {
    conflict(ctx, path, "retry_delay", "'retry_delay' needs 'retries'");
  }
  const loop = input.with_items !== undefined || input.with_filetree !== undefined;
  for (const key of ["parallel", "max"] as const) {
    if (input[key] !== undefined && !loop) {
      conflict(
        ctx,
        path,
        key,
        `'${key}: N' on a step bounds its loop; this step has no with_items or with_filetree`,
      );
    }
  }
}

export function validateSteps(
  value: unknown,
  path: JsPath,
  ctx: StepContext,
  handler = false,
): StepNode[] {
  if (!Array.isArray(value)) {
    const message = `expected a list of steps, got ${describeValue(value)}`;
    ctx.errors.push(diagnostic("type", message, ctx.doc.locate(path)));
    return [];
  }
  const nodes: StepNode[] = [];
  for (let i = 0; i < value.length; i++) {
    const node = validateStep(value[i], [...path, i], ctx, handler);
    if (node) nodes.push(node);
  }
  return nodes;
}

export function validateStep(
  raw: unknown,
  path: JsPath,
  ctx: StepContext,
  handler = false,
): StepNode | null {
  if (!isMapping(raw)) {
    const message = `a step must be a mapping, got ${describeValue(raw)}`;
    ctx.errors.push(diagnostic("type", message, ctx.doc.locate(path)));
    return null;
  }
  const keys = Object.keys(raw);
  const kinds = kindKeys(raw, keys);
  const [kind, second] = kinds;
  if (second) {
    const message = `a step has exactly one action; this one has '${kind?.key}' and '${second.key}'`;
    ctx.errors.push(
      diagnostic("multiple-actions", message, ctx.doc.locateKey([...path, second.key])),
    );
  }
  const unknown = checkKeys(keys, second ? null : (kind ?? null), handler, path, ctx);
  if (!kind || second) {
    if (!kind && unknown === 0) {
      const message = `this step has no action (one of ${SOME_ACTIONS}, or block, include, vars …)`;
      ctx.errors.push(diagnostic("no-action", message, ctx.doc.locate(path)));
    }
    const rest = { ...raw };
    for (const k of kinds) delete rest[k.key];
    check(ctx.schemas.common(), rest, path, ctx);
    reportChildren(raw, path, ctx);
    return null;
  }
  const before = ctx.errors.length;
  const schema =
    kind.kind === "action" ? ctx.schemas.action(kind.key, handler) : ctx.schemas.kind(kind.kind);
  const data = check(schema, raw, path, ctx);
  if (!data) {
    reportChildren(raw, path, ctx);
    return null;
  }
  const node = buildNode(kind, data, raw, path, ctx, handler);
  return ctx.errors.length === before ? node : null;
}

/** Zod's verdict on a step: the parsed value, or null with the errors reported. */
function check(schema: z.ZodObject, raw: Raw, path: JsPath, ctx: StepContext): Raw | null {
  const parsed = safeParse(schema, raw);
  if (parsed.success) return parsed.data;
  ctx.errors.push(
    ...issuesToDiagnostics(parsed.error.issues, { doc: ctx.doc, base: path, schema, value: raw }),
  );
  return null;
}

/** A step that failed validation: still validate the steps nested in it, for their errors. */
function reportChildren(raw: Raw, path: JsPath, ctx: StepContext): void {
  for (const key of ["block", "rescue", "always", "parallel", "compensate"]) {
    const value = raw[key];
    if (Array.isArray(value)) validateSteps(value, [...path, key], ctx);
    else if (key === "compensate" && isMapping(value)) validateStep(value, [...path, key], ctx);
    else if (key === "parallel" && isMapping(value) && Array.isArray(value.steps)) {
      validateSteps(value.steps, [...path, key, "steps"], ctx);
    }
  }
}

/**
 * The normalized node of a step zod accepted (`raw`: zod's output; `written`: the step
 * as written, whose key order the action's args keep); nested steps are validated here.
 */
function buildNode(
  kind: Kind,
  raw: Raw,
  written: Raw,
  path: JsPath,
  ctx: StepContext,
  handler: boolean,
): StepNode | null {
  const input = raw as CommonInput;
  switch (kind.kind) {
    case "block":
      return {
        kind: "block",
        ...base(input, path),
        ...exec(input),
        block: nested(raw.block, [...path, "block"], ctx),
        rescue: nested(raw.rescue, [...path, "rescue"], ctx),
        always: nested(raw.always, [...path, "always"], ctx),
      };
    case "parallel": {
      const group = raw.parallel;
      const inner = isMapping(group) ? group : null;
      if (inner?.max !== undefined && raw.max !== undefined) {
        conflict(ctx, path, "max", "'max' is given twice (here and inside 'parallel')");
      }
      const max = (inner?.max ?? raw.max) as number | undefined;
      return {
        kind: "parallel",
        ...base(input, path),
        ...exec(input),
        steps: inner
          ? nested(inner.steps, [...path, "parallel", "steps"], ctx)
          : nested(group, [...path, "parallel"], ctx),
        max: max ?? null,
      };
    }
    case "include":
      return {
        kind: "include",
        ...base(input, path),
        ...exec(input),
        include: raw.include as string,
        loop: loopOf(input, path),
      };
    case "preset": {
      const call = raw.preset;
      const inner = isMapping(call) ? call : null;
      if (inner?.with !== undefined && raw.with !== undefined)
        conflict(ctx, path, "with", "'with' is given twice (here and inside 'preset')");
      return {
        kind: "preset",
        ...base(input, path),
        ...exec(input),
        preset: inner ? (inner.name as string) : (call as string),
        with: ((inner?.with ?? raw.with) as Record<string, unknown> | undefined) ?? {},
        name_path: inner ? [...path, "preset", "name"] : [...path, "preset"],
        with_path: inner ? [...path, "preset", "with"] : [...path, "with"],
        register: input.register ?? null,
      };
    }
    case "vars":
      return {
        kind: "vars",
        ...base(input, path),
        vars: raw.vars as Record<string, unknown>,
        export: input.export ?? false,
      };
    case "include_vars":
      return {
        kind: "include_vars",
        ...base(input, path),
        include_vars: raw.include_vars as string,
        export: input.export ?? false,
      };
    case "action":
      return actionNode(kind.key, written, input, path, ctx, handler);
  }
}

function nested(value: unknown, path: JsPath, ctx: StepContext): StepNode[] {
  return Array.isArray(value) ? validateSteps(value, path, ctx) : [];
}

function actionNode(
  key: ActionKey,
  written: Raw,
  input: CommonInput,
  path: JsPath,
  ctx: StepContext,
  handler: boolean,
): StepNode {
  checkActionFields(input, path, ctx);
  const compensate = input.compensate;
  const compensations = Array.isArray(compensate)
    ? validateSteps(compensate, [...path, "compensate"], ctx)
    : isMapping(compensate)
      ? [validateStep(compensate, [...path, "compensate"], ctx)].filter((n) => n !== null)
      : [];
  return {
    kind: "action",
    ...base(input, path),
    ...exec(input),
    key,
    ...actionCall(key, written[key], [...path, key], ctx.doc, ctx.errors),
    loop: loopOf(input, path),
    loop_parallel: input.parallel ?? input.max ?? null,
    register: input.register ?? null,
    changed_when: exprs(input.changed_when, [...path, "changed_when"]),
    failed_when: exprs(input.failed_when, [...path, "failed_when"]),
    creates: input.creates ?? null,
    unless: input.unless ?? null,
    removes: input.removes ?? null,
    timeout_ms: ms(input.timeout),
    deadline_ms: ms(input.deadline),
    retry: retryOf(input),
    breaker: breakerOf(input),
    compensate: compensations,
    notify: list(input.notify),
    check_mode: input.check_mode ?? null,
    listen: handler ? list(input.listen) : [],
    output_limit: input.output_limit === undefined ? null : parseSize(input.output_limit),
    register_full: input.register_full ?? false,
    durable: input.durable ?? false,
    on_interrupt: input.on_interrupt ?? null,
    ignore_unreachable: input.ignore_unreachable ?? false,
    sensitive: input.sensitive ?? null,
    no_log: input.no_log ?? null,
    run_once: input.run_once ?? false,
    delegate_to: input.delegate_to ?? null,
    throttle: input.throttle ?? null,
  };
}
