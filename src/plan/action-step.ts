/**
 * Action steps: one step of the playbook (and each iteration of its loop) becomes a
 * PlanStep with its rendered args, exec settings, policy, conditions and edges.
 */
import type { Deferred, LoopContext, PlanStep } from "../model/plan.js";
import { numericMode } from "../schema/index.js";
import { isTemplated } from "../template/index.js";
import { resolveArgPaths } from "./arg-paths.js";
import { checkExpression, decideSkip } from "./conditions.js";
import { type Frame, type Inherited, type Pending, ROOT_INHERITED } from "./frame.js";
import { planIsFull } from "./limits.js";
import { loopItems } from "./loops.js";
import type { Planner } from "./planner.js";
import { buildPolicy, type PolicyProblem } from "./policy.js";
import { secretFields } from "./secret-step.js";
import { type DocPath, type RenderSite, renderField } from "./render.js";
import type { Scope } from "./scope.js";
import { baseId as provisionalBaseId } from "./step-ids.js";
import { defaultName, normalizeArgs, type StepRecord } from "./steps.js";
import { expressionText, loopVars, stringList } from "./util.js";

/**
 * Expands an action step into `into`, one PlanStep per loop iteration, and returns
 * the exits of its iterations (the steps the next one needs).
 */
export function expandAction(
  planner: Planner,
  step: StepRecord,
  action: string,
  path: DocPath,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
  into: Pending[],
): string[] {
  const iterations = loopItems(planner, step, path, frame, scope);
  if (iterations === null) return prev;
  const own = planner.inheritFrom(step, inherited, false);
  const loopParallel = typeof step.parallel === "number" ? step.parallel : null;
  const base = provisionalBaseId(planner, step, action, path, frame, own.loops, own.idPrefix);
  const baseId = base.id + own.loops.map((l) => `[${l.index}]`).join("");
  const group =
    loopParallel !== null && iterations.length > 1 ? { id: baseId, max: loopParallel } : own.group;
  const exits: string[] = [];
  let chainPrev = prev;
  const stepScope =
    step.vars !== null && typeof step.vars === "object" && !Array.isArray(step.vars)
      ? planner.scopes.create({
          ...planner.ownVars(scope),
          ...renderPlain(planner, step.vars, [...path, "vars"], frame, scope),
        })
      : scope;
  for (const loop of iterations) {
    if (planIsFull(planner, frame, path)) return exits;
    const vars = loop === null ? stepScope.view : { ...stepScope.view, ...loopVars(loop) };
    const needs = loopParallel !== null ? prev : chainPrev;
    const id = loop === null ? baseId : `${baseId}[${loop.index}]`;
    const context = loop ?? own.loops[own.loops.length - 1] ?? null;
    const planStep = buildStep(
      planner,
      step,
      action,
      id,
      path,
      frame,
      own,
      stepScope,
      vars,
      context,
      needs,
    );
    planStep.group = group;
    into.push({
      step: planStep,
      base,
      explicitNeeds: { ids: stringList(step.needs), path: [...path, "needs"], frame },
      notifyNames: { names: stringList(step.notify), path: [...path, "notify"], frame },
      compensate:
        step.compensate === undefined || step.compensate === null
          ? null
          : {
              items: (Array.isArray(step.compensate)
                ? step.compensate
                : [step.compensate]) as StepRecord[],
              path: [...path, "compensate"],
              frame,
              scope: stepScope,
              inherited: {
                ...ROOT_INHERITED,
                idPrefix: own.idPrefix,
                become: own.become,
                becomeUser: own.becomeUser,
                env: own.env,
              },
            },
    });
    exits.push(id);
    chainPrev = [id];
  }
  if (typeof step.register === "string") planner.runtime.add(step.register);
  return loopParallel !== null ? exits : chainPrev;
}

function buildStep(
  planner: Planner,
  step: StepRecord,
  action: string,
  id: string,
  path: DocPath,
  frame: Frame,
  own: Inherited,
  scope: Scope,
  vars: Record<string, unknown>,
  loop: LoopContext | null,
  needs: string[],
): PlanStep {
  const deferred: Record<string, Deferred> = {};
  const site = planner.site(frame, vars, deferred, [scope.view]);
  const normalized = normalizeArgs(action, step[action]);
  const argPath = normalized.scalar ? [...path, action] : null;
  const rendered =
    typeof step.name === "string" ? renderField(site, step.name, [...path, "name"], "name") : null;
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(normalized.args)) {
    args[k] = renderField(site, v, argPath ?? [...path, action, k], `args.${k}`);
  }
  const name =
    rendered === null
      ? defaultName(action, args)
      : loop !== null && typeof step.name === "string" && !isTemplated(step.name)
        ? `${rendered} (${itemLabel(loop)})`
        : rendered;
  if (typeof args.mode === "number") {
    // YAML 1.2 reads 0644 as 644 and 0o644 as 420: the source text tells which was meant.
    args.mode =
      numericMode(args.mode, frame.doc.scalarSource([...path, action, "mode"])) ?? args.mode;
  }
  resolveArgPaths(planner, action, args, deferred, frame, loop, path);
  const origin = planner.pos(frame, path);
  const exec = {
    env: renderEnv(site, own.env, step.env, path),
    cwd:
      typeof step.cwd === "string"
        ? String(renderField(site, step.cwd, [...path, "cwd"], "exec.cwd"))
        : null,
    become: own.become ?? false,
    become_user:
      own.becomeUser === null
        ? null
        : String(renderField(site, own.becomeUser, [...path, "become_user"], "exec.become_user")),
  };
  const problems: PolicyProblem[] = [];
  const policyFields: StepRecord = {};
  for (const k of [
    "timeout",
    "retries",
    "retry_delay",
    "retry",
    "ignore_errors",
    "deadline",
    "breaker",
    "durable",
    "on_interrupt",
    "output_limit",
    "register_full",
    "ignore_unreachable",
  ]) {
    if (step[k] !== undefined) policyFields[k] = renderField(site, step[k], [...path, k], k);
  }
  const policy = buildPolicy(policyFields, problems);
  for (const p of problems)
    planner.error(frame, [...path, p.field.split(".")[0]!], "type", p.message);
  for (const k of Object.keys(deferred)) {
    if (!k.startsWith("args.") && !k.startsWith("exec.") && k !== "name") {
      planner.error(
        frame,
        [...path, k.split(".")[0]!],
        "runtime-value",
        `'${k}' must be known at plan time`,
      );
    }
  }
  const whenParts = [...own.when];
  const skipped = decideSkip(planner, step, path, own, vars, site, whenParts);
  const stringField = (k: "creates" | "unless" | "removes") =>
    typeof step[k] === "string" ? String(renderField(site, step[k], [...path, k], k)) : null;
  const creates = stringField("creates");
  const unless = stringField("unless");
  const removes = stringField("removes");
  const ownResult = new Set([
    "result",
    ...(typeof step.register === "string" ? [step.register] : []),
  ]);
  for (const k of ["changed_when", "failed_when"] as const)
    checkExpression(planner, step[k], [...path, k], site, k, ownResult);
  const secret = secretFields(
    planner,
    step,
    action,
    { path, frame },
    {
      args,
      deferred,
      vars,
      when: whenParts.length === 0 ? null : whenParts.join(" and "),
    },
  );
  return {
    id,
    seq: 0,
    name: typeof name === "string" ? name : String(name),
    target: planner.opts.target ?? "local",
    action,
    args,
    deferred,
    when:
      whenParts.length === 0
        ? null
        : whenParts.length === 1
          ? whenParts[0]!
          : whenParts.map((w) => `(${w})`).join(" and "),
    changed_when: expressionText(step.changed_when),
    failed_when: expressionText(step.failed_when),
    creates,
    unless,
    ...(removes === null ? {} : { removes }),
    register: typeof step.register === "string" ? step.register : null,
    check_mode: typeof step.check_mode === "boolean" ? step.check_mode : null,
    exec,
    needs: [...needs],
    origin: { file: origin.file, line: origin.line, column: origin.column, chain: frame.chain },
    loop,
    tags: own.tags,
    skipped,
    policy,
    block: own.block,
    compensate: [],
    notify: [],
    scope: scope.index,
    group: own.group,
    ...fleetFields(site, step, path),
    ...secret,
  };
}

/** `run_once`, `delegate_to` and `throttle` (SPEC §1.6), present only when set. */
function fleetFields(
  site: RenderSite,
  step: StepRecord,
  path: DocPath,
): Pick<PlanStep, "run_once" | "delegate_to" | "throttle"> {
  const out: Pick<PlanStep, "run_once" | "delegate_to" | "throttle"> = {};
  if (step.run_once === true) out.run_once = true;
  if (typeof step.delegate_to === "string") {
    out.delegate_to = String(
      renderField(site, step.delegate_to, [...path, "delegate_to"], "delegate_to"),
    );
  }
  if (typeof step.throttle === "number") out.throttle = step.throttle;
  return out;
}

function renderEnv(
  site: RenderSite,
  inheritedEnv: Record<string, string>,
  own: unknown,
  path: DocPath,
): Record<string, string> {
  const env: Record<string, string> = { ...inheritedEnv };
  if (own !== null && typeof own === "object" && !Array.isArray(own)) {
    for (const [k, v] of Object.entries(own)) {
      const r = renderField(
        site,
        v === null ? "" : typeof v === "string" ? v : String(v),
        [...path, "env", k],
        `exec.env.${k}`,
      );
      env[k] = typeof r === "string" ? r : JSON.stringify(r);
    }
  }
  return env;
}

function renderPlain(
  planner: Planner,
  value: unknown,
  path: DocPath,
  frame: Frame,
  scope: Scope,
): Record<string, unknown> {
  const site = planner.site(frame, scope.view, {});
  const r = renderField(site, value, path, "vars");
  planner.rejectDeferred(site.deferred, frame, path, "vars");
  return (r ?? {}) as Record<string, unknown>;
}

/**
 * A loop iteration's name tells which item it is, as Ansible's `(item=…)` does, when the
 * playbook's name does not already say it: "Create user dir (alice)".
 */
function itemLabel(loop: LoopContext): string {
  const item = loop.type === "with_filetree" ? (loop.item as { path?: unknown }).path : loop.item;
  const text = typeof item === "string" ? item : JSON.stringify(item);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
