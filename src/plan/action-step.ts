/**
 * Action steps: one step of the playbook (and each iteration of its loop) becomes a
 * PlanStep with its rendered args, exec settings, policy, conditions and edges.
 */
import type { SourcePos } from "../model/diagnostic.js";
import type { Deferred, LoopContext, PlanStep, StepPolicy } from "../model/plan.js";
import type { ActionStep } from "../schema/index.js";
import { isTemplated } from "../template/index.js";
import { resolveArgPaths } from "./arg-paths.js";
import { checkExpression, decideSkip } from "./conditions.js";
import { type Frame, type Inherited, type Pending, ROOT_INHERITED } from "./frame.js";
import { planIsFull } from "./limits.js";
import { type LoopBuilder, loopFastPath } from "./loop-fast.js";
import { loopItems } from "./loops.js";
import type { Planner } from "./planner.js";
import { buildPolicy } from "./policy.js";
import { secretFields } from "./secret-step.js";
import { type DocPath, type RenderSite, renderField } from "./render.js";
import type { Scope } from "./scope.js";
import { baseId as provisionalBaseId } from "./step-ids.js";
import { defaultName } from "./steps.js";
import { expressionText, itemLabel, loopVars } from "./util.js";

/**
 * Expands an action step into `into`, one PlanStep per loop iteration, and returns
 * the exits of its iterations (the steps the next one needs).
 */
export function expandAction(
  planner: Planner,
  step: ActionStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
  into: Pending[],
): string[] {
  const path = step.path;
  const iterations = loopItems(planner, step.loop, frame, scope);
  if (iterations === null) return prev;
  const own = planner.inheritFrom(step, inherited, false);
  const loopParallel = step.loop_parallel;
  const base = provisionalBaseId(planner, step, step.key, path, frame, own.loops, own.idPrefix);
  const baseId = base.id + own.loops.map((l) => `[${l.index}]`).join("");
  const group =
    loopParallel !== null && iterations.length > 1 ? { id: baseId, max: loopParallel } : own.group;
  const exits: string[] = [];
  let chainPrev = prev;
  // What every iteration shares is built once (a loop of 100k items makes 100k steps).
  const explicitNeeds = { ids: step.needs, path: [...path, "needs"], frame };
  const notifyNames = { names: step.notify, path: [...path, "notify"], frame };
  const compensate: Pending["compensate"] =
    step.compensate.length === 0
      ? null
      : {
          items: step.compensate,
          frame,
          scope,
          inherited: {
            ...ROOT_INHERITED,
            idPrefix: own.idPrefix,
            become: own.become,
            becomeUser: own.becomeUser,
            env: own.env,
          },
        };
  const policy = step.breaker === null ? buildPolicy(step, null) : null;
  const at: Shared = { policy, origin: planner.pos(frame, path), paths: fieldPaths(step) };
  // After the first iteration, a loop's steps are filled in per item where they can be.
  let fast: LoopBuilder | null = null;
  for (const loop of iterations) {
    if (planIsFull(planner, frame, path)) return exits;
    const needs = loopParallel !== null ? prev : chainPrev;
    const id = loop === null ? baseId : `${baseId}[${loop.index}]`;
    let planStep = fast === null || loop === null ? null : fast(loop, id, needs);
    if (planStep === null) {
      const vars = loop === null ? scope.view : { ...scope.view, ...loopVars(loop) };
      const context = loop ?? own.loops[own.loops.length - 1] ?? null;
      const reported = planner.diagnostics.length;
      planStep = buildStep(planner, step, id, frame, own, scope, vars, context, needs, at);
      if (loop !== null && loop.index === 0 && iterations.length > 1)
        fast = loopFastPath(planner, step, own, vars, planStep, reported);
    }
    planStep.group = group;
    into.push({ step: planStep, base, explicitNeeds, notifyNames, compensate });
    exits.push(id);
    chainPrev = [id];
  }
  if (step.register !== null) planner.runtime.add(step.register);
  return loopParallel !== null ? exits : chainPrev;
}

/** What every iteration of one loop step shares, built once by expandAction. */
interface Shared {
  /** The step's policy, when no breaker key has to be rendered per iteration. */
  policy: StepPolicy | null;
  origin: SourcePos;
  paths: FieldPaths;
}

/** Where the name and each arg are written, and each arg's key in the plan step. */
interface FieldPaths {
  name: DocPath;
  args: Record<string, DocPath>;
  argKeys: Record<string, string>;
}

function fieldPaths(step: ActionStep): FieldPaths {
  const out: FieldPaths = { name: [...step.path, "name"], args: {}, argKeys: {} };
  for (const k in step.args) {
    out.args[k] = step.arg_paths[k] ?? [...step.path, step.key, k];
    out.argKeys[k] = `args.${k}`;
  }
  return out;
}

function buildStep(
  planner: Planner,
  step: ActionStep,
  id: string,
  frame: Frame,
  own: Inherited,
  scope: Scope,
  vars: Record<string, unknown>,
  loop: LoopContext | null,
  needs: string[],
  shared: Shared,
): PlanStep {
  const { path, action } = step;
  const { paths } = shared;
  const deferred: Record<string, Deferred> = {};
  const site = planner.site(frame, vars, deferred, [scope.view]);
  const rendered = step.name === null ? null : renderField(site, step.name, paths.name, "name");
  const args: Record<string, unknown> = {};
  const written = step.args as Record<string, unknown>;
  for (const k in written) {
    args[k] = renderField(site, written[k], paths.args[k] as DocPath, paths.argKeys[k] as string);
  }
  const name =
    rendered === null
      ? defaultName(step.key, args)
      : loop !== null && step.name !== null && !isTemplated(step.name)
        ? `${rendered} (${itemLabel(loop)})`
        : rendered;
  resolveArgPaths(planner, step, args, deferred, frame, loop);
  const { origin } = shared;
  const exec = {
    env: renderEnv(site, own.env, step.env, path),
    cwd:
      step.cwd === null ? null : String(renderField(site, step.cwd, [...path, "cwd"], "exec.cwd")),
    become: own.become ?? false,
    become_user:
      own.becomeUser === null
        ? null
        : String(renderField(site, own.becomeUser, [...path, "become_user"], "exec.become_user")),
  };
  // Only a breaker's key may be a template: without one, every iteration shares one policy.
  const policy =
    shared.policy ??
    buildPolicy(
      step,
      step.breaker === null
        ? null
        : String(renderField(site, step.breaker.key, [...path, "breaker"], "breaker")),
    );
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
  const skipped = decideSkip(planner, step.when, path, own, vars, site, whenParts);
  const stringField = (k: "creates" | "unless" | "removes") => {
    const v = step[k];
    return v === null ? null : String(renderField(site, v, [...path, k], k));
  };
  const creates = stringField("creates");
  const unless = stringField("unless");
  const removes = stringField("removes");
  if (step.changed_when.length > 0 || step.failed_when.length > 0) {
    const ownResult = new Set(["result", ...(step.register === null ? [] : [step.register])]);
    for (const k of ["changed_when", "failed_when"] as const)
      checkExpression(planner, step[k], [...path, k], site, k, ownResult);
  }
  const secret = secretFields(
    planner,
    step,
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
    register: step.register,
    check_mode: step.check_mode,
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
    ...fleetFields(site, step),
    ...secret,
  };
}

/** `run_once`, `delegate_to` and `throttle` (SPEC §1.6), present only when set. */
function fleetFields(
  site: RenderSite,
  step: ActionStep,
): Pick<PlanStep, "run_once" | "delegate_to" | "throttle"> {
  const out: Pick<PlanStep, "run_once" | "delegate_to" | "throttle"> = {};
  if (step.run_once) out.run_once = true;
  if (step.delegate_to !== null) {
    out.delegate_to = String(
      renderField(site, step.delegate_to, [...step.path, "delegate_to"], "delegate_to"),
    );
  }
  if (step.throttle !== null) out.throttle = step.throttle;
  return out;
}

function renderEnv(
  site: RenderSite,
  inheritedEnv: Record<string, string>,
  own: Record<string, string>,
  path: DocPath,
): Record<string, string> {
  const env: Record<string, string> = { ...inheritedEnv };
  for (const [k, v] of Object.entries(own)) {
    const r = renderField(site, v, [...path, "env", k], `exec.env.${k}`);
    env[k] = typeof r === "string" ? r : JSON.stringify(r);
  }
  return env;
}
