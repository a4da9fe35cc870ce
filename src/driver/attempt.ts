/**
 * One attempt of one step, the driver's side of SPEC §3.2: runtime conditions (`when`,
 * `creates`, `unless`), deferred fields rendered just before the step runs (§2.1), the
 * action's check (dry run) or apply, then `changed_when`/`failed_when` with `result`
 * bound to this step's result. Every failure comes back as a value.
 */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { actions } from "../actions/index.js";
import type { ActionContext, ActionOutcome, ProcessOutput } from "../actions/types.js";
import type { FailureReason } from "../model/engine.js";
import type { PlanStep } from "../model/plan.js";
import {
  evalExpression,
  freeVariablesOfExpression,
  isSecret,
  freeVariablesOfTemplate,
  parseTemplate,
  render,
  renderValue,
  reveal,
  truthy,
} from "../template/index.js";
import { type TargetFsFactory, targetFsFor } from "../transports/step-fs.js";
import { watchReach } from "./reach.js";
import { readSecrets, secretArg } from "./step-secrets.js";
import { existsOnTarget } from "./target-paths.js";
import { fieldValue, secretDiff } from "../secrets/field.js";
import { maskedOutput, type Vault } from "../secrets/index.js";
import type { Transport } from "../transports/transport.js";
import { ownResultReason, type UnknownValues } from "./prediction.js";
import type { SourceKind } from "./cut-reads.js";
import { registeredValue } from "./registered.js";
import type { RuntimeScopes } from "./runtime-scope.js";

export type AttemptOutcome =
  | { kind: "skipped"; reason: string }
  | {
      kind: "succeeded";
      changed: boolean;
      result: Record<string, unknown>;
      diff?: string;
      /** Dry run: the action was only checked and its result is known after a real run. */
      resultUnknown?: boolean;
      /** What `register` stores, when it is not `result` (see registered.ts). */
      registered?: Record<string, unknown>;
    }
  /** Dry run: the outcome is known only after a real run; `cause` is the unknown name read. */
  | { kind: "unknown"; reason: string; cause: string | null }
  | {
      kind: "failed";
      reason: FailureReason;
      message: string;
      result: Record<string, unknown> | null;
      registered?: Record<string, unknown>;
    };

export interface AttemptDeps {
  scopes: RuntimeScopes;
  rootDir: string;
  dryRun: boolean;
  transport: Transport;
  /** The step runs on another machine: `cwd` and `creates`/`removes` paths are that machine's. */
  remote: boolean;
  /** The target's files for one step (with its become); by default targetFsFor. */
  fs?: TargetFsFactory;
  env: Record<string, string | undefined>;
  /** For the CAIRN_* variables every process step gets (see runEnv). */
  runId: string;
  /** Dry run: the registered names whose values are known only after a real run. */
  unknowns: UnknownValues;
  /** The run's secrets; null when the plan has none. */
  vault: Vault | null;
}

export interface AttemptIO {
  signal: AbortSignal;
  /** The attempt's output channel; flushed before the attempt resolves. */
  output: ProcessOutput & { flush(): void };
  /** A located warning about this step that does not fail it. */
  warn(message: string): void;
  /** Called once the conditions passed and the action is about to run. */
  onRun(step: PlanStep): void;
}

/** A step field that could not be evaluated; `names` are the variables it reads. */
class StepError extends Error {
  constructor(
    message: string,
    readonly runtimeUnknown: boolean,
    readonly field: string,
    readonly names: readonly string[],
  ) {
    super(message);
  }
}

function namesOf(src: string, template: boolean): string[] {
  const r = template ? freeVariablesOfTemplate(src) : freeVariablesOfExpression(src);
  return r.ok ? r.value : [];
}

/** Renders the step's deferred fields against the current scope. */
function materialize(
  step: PlanStep,
  scope: () => Record<string, unknown>,
  env: AttemptDeps["env"],
  reads: Reads,
  vault: Vault | null,
): PlanStep {
  const keys = Object.keys(step.deferred);
  if (keys.length === 0) return step;
  for (const key of keys) reads(step.deferred[key]!.template, "template");
  const out: PlanStep = {
    ...step,
    args: structuredClone(step.args),
    exec: { ...step.exec, env: { ...step.exec.env } },
  };
  const vars = scope();
  for (const key of keys) {
    const d = step.deferred[key]!;
    const r = renderValue(d.template, vars, { env });
    if (!r.ok)
      throw new StepError(
        `in '${key}': ${r.error.message}`,
        r.error.code === "undefined",
        key,
        d.needs,
      );
    setPath(
      out as unknown as Record<string, unknown>,
      key.split("."),
      fieldValue(key, r.value, vault),
    );
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const k of path.slice(0, -1)) {
    const next = node[k];
    if (next === null || typeof next !== "object") return;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  node[last] =
    (last === "name" || path[0] === "exec") && typeof value !== "string" ? String(value) : value;
}

/** Looks at a text the step is about to evaluate (for the cut-output warning). */
type Reads = (source: string, kind: SourceKind) => void;

function condition(
  expr: string,
  vars: Record<string, unknown>,
  env: AttemptDeps["env"],
  what: string,
  reads: Reads,
): boolean {
  reads(expr, "expression");
  const r = evalExpression(expr, vars, { env });
  if (!r.ok)
    throw new StepError(
      `in '${what}': ${r.error.message}`,
      r.error.code === "undefined",
      what,
      namesOf(expr, false),
    );
  return truthy(r.value);
}

/**
 * What every process of a step gets in its environment, and templates read with
 * `env()`: the run, the step, the attempt, and an idempotency key that stays the same
 * across attempts and resumes of this step in this run (for APIs that deduplicate).
 */
function runEnv(runId: string, stepId: string, attempt: number): Record<string, string> {
  const key = createHash("sha256").update(`${runId}\0${stepId}`).digest("hex").slice(0, 32);
  return {
    CAIRN_RUN_ID: runId,
    CAIRN_STEP_ID: stepId,
    CAIRN_ATTEMPT: String(attempt),
    CAIRN_IDEMPOTENCY_KEY: key,
  };
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? homedir() + p.slice(1) : p;
}

export async function runAttempt(
  step: PlanStep,
  attempt: number,
  deps: AttemptDeps,
  io: AttemptIO,
): Promise<AttemptOutcome> {
  const ours = runEnv(deps.runId, step.id, attempt);
  deps = { ...deps, env: { ...deps.env, ...ours } };
  const vault = deps.vault;
  if (vault !== null) {
    io = { ...io, output: maskedOutput(io.output, vault.masker, step.sensitive === true) };
    const failed = await readSecrets(step, vault, io.warn);
    if (failed !== null) return failed;
  }
  let vars: Record<string, unknown> | null = null;
  const scope = () => {
    vars ??= vault === null ? deps.scopes.for(step) : vault.reveal(deps.scopes.for(step));
    return vars;
  };
  /** The secret a template or content of this step was computed from (for its diff). */
  let taint: string | null = secretArg(step);
  const reads: Reads = (source, kind) => deps.scopes.cut.check(step, source, kind, io.warn);
  try {
    if (
      attempt === 1 &&
      step.when !== null &&
      !condition(step.when, scope(), deps.env, "when", reads)
    ) {
      return { kind: "skipped", reason: `when: ${step.when} is false` };
    }
    const ready = materialize(step, scope, deps.env, reads, vault);
    const reach = watchReach(deps.transport);
    const fs = (deps.fs ?? targetFsFor)(reach.transport, {
      become: ready.exec.become,
      becomeUser: ready.exec.become_user,
      signal: io.signal,
    });
    // On a remote target, no cwd means the login directory, and paths are the remote's.
    const cwd = deps.remote
      ? ready.exec.cwd
      : ready.exec.cwd === null
        ? deps.rootDir
        : resolve(deps.rootDir, expandHome(ready.exec.cwd));
    // `creates` is a common field, and also an argument of unarchive (SPEC §1.3).
    const creates =
      ready.creates ?? (typeof ready.args.creates === "string" ? ready.args.creates : null);
    if (attempt === 1 && creates !== null && (await existsOnTarget(fs, cwd, creates))) {
      return { kind: "skipped", reason: `creates: ${creates} exists` };
    }
    if (
      attempt === 1 &&
      ready.removes !== undefined &&
      !(await existsOnTarget(fs, cwd, ready.removes))
    ) {
      return { kind: "skipped", reason: `removes: ${ready.removes} does not exist` };
    }
    // check_mode: false runs a step for real in a dry run; check_mode: true only checks it in a real run.
    const dryRun = deps.dryRun ? step.check_mode !== false : step.check_mode === true;
    if (attempt === 1 && ready.unless !== null && !dryRun) {
      const r = await deps.transport.run({
        command: { shell: ready.unless, interpreter: "sh" },
        env: { ...ready.exec.env, ...ours },
        cwd,
        stdin: null,
        become: ready.exec.become,
        becomeUser: ready.exec.become_user,
        signal: io.signal,
        onOutput: () => undefined,
      });
      if (r.unreachable !== undefined)
        return { kind: "failed", reason: "unreachable", message: r.unreachable, result: null };
      if (r.rc === 0) return { kind: "skipped", reason: `unless: '${ready.unless}' succeeded` };
    }
    if (attempt === 1 && ready.unless !== null && dryRun) {
      return {
        kind: "unknown",
        reason: `whether it runs is known after run: a dry run does not run its unless command ('${ready.unless}'); mark the step check_mode: false if that command only reads`,
        cause: null,
      };
    }
    const handler = actions.get(ready.action);
    if (handler === undefined) {
      return {
        kind: "failed",
        reason: "error",
        message: `action '${ready.action}' is not available in this release`,
        result: null,
      };
    }
    io.onRun(ready);
    const ctx: ActionContext = {
      args: ready.args,
      // Processes run in the playbook's directory unless `cwd` says otherwise, so that
      // relative paths mean the same to a command as to `creates`, `file` and `item.src`,
      // wherever cairn was started from.
      exec: { ...ready.exec, cwd, env: { ...ready.exec.env, ...ours } },
      rootDir: deps.rootDir,
      transport: reach.transport,
      fs,
      signal: io.signal,
      output: io.output,
      renderTemplate: (text, extra) => {
        reads(text, "template");
        const tpl = parseTemplate(text);
        if (!tpl.ok) return { ok: false, error: tpl.error };
        const r = render(tpl.value, { ...scope(), ...extra }, { env: deps.env });
        if (!r.ok && dryRun && r.error.code === "undefined") {
          // A template reading a result that a dry run does not have: known after run.
          throw new StepError(r.error.message, true, "content", namesOf(text, true));
        }
        if (!r.ok) return { ok: false, error: r.error };
        if (isSecret(r.value)) taint = r.value.name;
        // The file gets the real bytes; redaction applies to what is shown, not written.
        return { ok: true, value: typeof r.value === "string" ? r.value : String(reveal(r.value)) };
      },
      evaluate: (expr) => {
        reads(expr, "expression");
        const r = evalExpression(expr, scope(), { env: deps.env });
        return r.ok ? r : { ok: false, error: r.error };
      },
      truthy,
    };
    const outcome = dryRun ? await handler.check(ctx) : await handler.apply(ctx);
    // Whatever the action made of it, a host that could not be reached is unreachable.
    if (reach.lost !== null)
      return { kind: "failed", reason: "unreachable", message: reach.lost, result: null };
    if (taint !== null && outcome.diff !== undefined) outcome.diff = secretDiff(taint);
    // A process that a dry run only checked has no result yet.
    const notRun = dryRun && handler.runsProcess;
    return judge(ready, outcome, { dryRun, notRun }, deps.env, scope, io.signal, reads);
  } catch (e) {
    if (!(e instanceof StepError)) throw e;
    if (deps.dryRun && e.runtimeUnknown) {
      if (e.names.includes("result") && (e.field === "changed_when" || e.field === "failed_when"))
        return { kind: "unknown", reason: ownResultReason(e.field), cause: null };
      const cause = deps.unknowns.find(e.names);
      if (cause !== undefined)
        return { kind: "unknown", reason: deps.unknowns.reason(e.field, cause), cause };
    }
    return { kind: "failed", reason: "error", message: e.message, result: null };
  } finally {
    // The step's last output lines go out before its end event.
    io.output.flush();
  }
}

/** Applies changed_when/failed_when and turns a killed process into a timeout or cancel. */
function judge(
  step: PlanStep,
  outcome: ActionOutcome,
  mode: { dryRun: boolean; notRun: boolean },
  env: AttemptDeps["env"],
  scope: () => Record<string, unknown>,
  signal: AbortSignal,
  reads: Reads,
): AttemptOutcome {
  let failure = outcome.failure;
  if (failure?.reason === "killed" && signal.aborted) {
    const why = String(signal.reason ?? "");
    if (why === "timeout" || why === "deadline") {
      const limit = why === "timeout" ? step.policy.timeout_ms : step.policy.deadline_ms;
      failure = { reason: why, message: `timed out after ${formatMs(limit ?? 0)} (${why})` };
    }
  }
  let changed = outcome.changed;
  const result = { ...outcome.result };
  // What `register` stores; also what `result` means in changed_when/failed_when.
  const needed = step.register !== null || step.changed_when !== null || step.failed_when !== null;
  const registered = needed ? registeredValue(outcome.register ?? result) : result;
  if ((step.changed_when !== null || step.failed_when !== null) && failure?.reason !== "timeout") {
    // A checked-only process has no result: conditions that read it are known after run.
    const vars = mode.notRun ? scope() : { ...scope(), result: registered };
    if (step.failed_when !== null && !readsOwnResult(step.failed_when, mode.notRun)) {
      const failed = condition(step.failed_when, vars, env, "failed_when", reads);
      // A command that ran and exited non-zero, accepted by failed_when, did run: changed, as Ansible reports it.
      if (!failed && failure?.reason === "rc") changed = true;
      failure = failed
        ? {
            reason: failure?.reason ?? "error",
            message: failure?.message ?? `failed_when: ${step.failed_when}`,
          }
        : null;
    }
    if (step.changed_when !== null)
      changed = condition(step.changed_when, vars, env, "changed_when", reads);
  }
  result.changed = changed && failure === null;
  result.failed = failure !== null;
  const extra =
    registered === result
      ? {}
      : { registered: { ...registered, changed: result.changed, failed: result.failed } };
  if (failure !== null)
    return { kind: "failed", reason: failure.reason, message: failure.message, result, ...extra };
  const ok: AttemptOutcome = { kind: "succeeded", changed, result, ...extra };
  if (outcome.diff !== undefined) ok.diff = outcome.diff;
  if (mode.notRun) ok.resultUnknown = true;
  return ok;
}

/** In a dry run, a failed_when over a process's own result cannot be judged: keep the prediction. */
function readsOwnResult(expr: string, notRun: boolean): boolean {
  return notRun && namesOf(expr, false).includes("result");
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
