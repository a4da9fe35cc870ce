/**
 * `validatePlaybook` (the root file) and `validateTaskFile` (included files): the
 * whole document is checked and every error reported, in document order.
 */
import type { z } from "zod";
import type { LoadedDoc } from "../load/index.js";
import { type Diagnostic, err, ok, type Result } from "../model/index.js";
import { describeValue } from "./describe.js";
import { diagnostic, issuesToDiagnostics } from "./issues.js";
import { playbookMapping, taskFileMapping } from "./playbook-schema.js";
import { secretsOf } from "./secrets.js";
import { once } from "./once.js";
import { makeStepSchemas } from "./step-schemas.js";
import type { JsPath, Playbook, StepNode, TaskFile } from "./types.js";
import { safeParse } from "./parse.js";
import { isMapping, type StepContext, validateSteps } from "./validate-step.js";

const PLAYBOOK = once(() => playbookMapping(null));
const TASK_FILE = once(() => taskFileMapping(null));
const SCHEMAS = makeStepSchemas(null);

function inOrder(errors: Diagnostic[]): Diagnostic[] {
  return errors
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        (a.d.pos?.line ?? 0) - (b.d.pos?.line ?? 0) ||
        (a.d.pos?.column ?? 0) - (b.d.pos?.column ?? 0) ||
        a.i - b.i,
    )
    .map(({ d }) => d);
}

function finish<T>(ctx: StepContext, value: T): Result<T, Diagnostic[]> {
  return ctx.errors.length > 0 ? err(inOrder(ctx.errors)) : ok(value);
}

/** The top-level mapping checked by zod, or null (with its errors reported). */
function checkMapping<T>(
  ctx: StepContext,
  schema: z.ZodType<T>,
  value: Record<string, unknown>,
): T | null {
  const parsed = safeParse(schema, value);
  if (parsed.success) return parsed.data;
  ctx.errors.push(
    ...issuesToDiagnostics(parsed.error.issues, { doc: ctx.doc, base: [], schema, value }),
  );
  return null;
}

function checkVersion(ctx: StepContext, version: unknown): void {
  if (version === undefined) return;
  const major = /^\s*(\d+)(?:\.\d+)*\s*$/.exec(String(version))?.[1];
  if (major === "1") return;
  const message = `unsupported playbook version ${String(version)}; this cairn reads version 1`;
  ctx.errors.push(diagnostic("version", message, ctx.doc.locate(["version"])));
}

function notAPlaybook(ctx: StepContext, what: string): void {
  const message = `${what} must be a list of steps or a mapping with 'steps', got ${describeValue(ctx.doc.value)}`;
  ctx.errors.push(diagnostic("type", message, ctx.doc.locate([])));
}

const steps = (ctx: StepContext, value: unknown, path: JsPath, handler = false): StepNode[] =>
  value === undefined ? [] : validateSteps(value, path, ctx, handler);

export function validatePlaybook(doc: LoadedDoc): Result<Playbook, Diagnostic[]> {
  const ctx: StepContext = { doc, errors: [], schemas: SCHEMAS };
  const root = doc.value;
  const playbook: Playbook = {
    form: "list",
    version: null,
    vars: {},
    steps: [],
    handlers: [],
    on_failure: "stop",
    hosts: null,
    inventory: [],
    serial: null,
    max_fail_percentage: null,
    secret_env: [],
    secrets: {},
  };
  if (Array.isArray(root) || root === null) {
    playbook.steps = steps(ctx, root ?? [], []);
    return finish(ctx, playbook);
  }
  if (!isMapping(root)) {
    notAPlaybook(ctx, "a playbook");
    return finish(ctx, playbook);
  }
  playbook.form = "mapping";
  checkVersion(ctx, root.version);
  const top = checkMapping(ctx, PLAYBOOK(), root);
  if (top) {
    playbook.version = top.version === undefined ? null : String(top.version);
    playbook.vars = top.vars ?? {};
    playbook.on_failure = top.on_failure ?? "stop";
    playbook.hosts =
      top.hosts === undefined ? null : typeof top.hosts === "string" ? [top.hosts] : top.hosts;
    playbook.secret_env = top.secret_env ?? [];
    playbook.secrets = secretsOf(top.secrets ?? {});
    playbook.inventory =
      top.inventory === undefined
        ? []
        : typeof top.inventory === "string"
          ? [top.inventory]
          : top.inventory;
    playbook.serial = top.serial ?? null;
    playbook.max_fail_percentage = top.max_fail_percentage ?? null;
  }
  if (Array.isArray(root.steps) || root.steps === undefined)
    playbook.steps = steps(ctx, root.steps, ["steps"]);
  if (Array.isArray(root.handlers))
    playbook.handlers = steps(ctx, root.handlers, ["handlers"], true);
  return finish(ctx, playbook);
}

/** An included file: a list of steps, or a mapping with `steps` (and `vars`). */
export function validateTaskFileParts(doc: LoadedDoc): Result<TaskFile, Diagnostic[]> {
  const ctx: StepContext = { doc, errors: [], schemas: SCHEMAS };
  const root = doc.value;
  if (Array.isArray(root) || root === null)
    return finish(ctx, { steps: steps(ctx, root ?? [], []), vars: null });
  if (!isMapping(root)) {
    notAPlaybook(ctx, "a task file");
    return finish(ctx, { steps: [], vars: null });
  }
  checkMapping(ctx, TASK_FILE(), root);
  const nodes = Array.isArray(root.steps) ? steps(ctx, root.steps, ["steps"]) : [];
  return finish(ctx, { steps: nodes, vars: isMapping(root.vars) ? root.vars : null });
}

/** An included file's steps, its `vars` (if any) as a leading vars step. */
export function validateTaskFile(doc: LoadedDoc): Result<StepNode[], Diagnostic[]> {
  const parts = validateTaskFileParts(doc);
  if (!parts.ok) return parts;
  const { steps: nodes, vars } = parts.value;
  if (vars === null) return ok(nodes);
  const head: StepNode = {
    kind: "vars",
    path: ["vars"],
    name: null,
    id: null,
    tags: [],
    when: [],
    needs: [],
    vars,
    export: false,
  };
  return ok([head, ...nodes]);
}
