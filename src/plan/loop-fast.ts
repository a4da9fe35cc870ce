/**
 * The loop fast path: the iterations of a loop step after the first, built from the
 * first one by substituting each item (a loop of 100,000 items makes 100,000 steps,
 * and rendering every field of each anew was most of planning such a loop).
 *
 * The first iteration is built by buildStep as any step. If it reported nothing and
 * deferred nothing, each field of the step is analysed once: a field that reads no
 * loop variable renders the same in every iteration (the planner is pure: the same
 * template over the same variables gives the same value), so its value is kept; one
 * that only prints variables ("step {{ item }}") is filled in per item; anything
 * else (a filter, an `if`, a `when` on the item, secrets, file arguments) leaves the
 * whole step to buildStep. An iteration whose item the substitution cannot print
 * exactly (a list, a dict) is built by buildStep too. Either way the step is the one
 * buildStep would give, byte for byte in the plan.
 *
 * Iterations share the first one's unchanging nested records (origin, exec, skipped,
 * the empty deferred, compensate and notify, as they already shared tags and policy);
 * those are frozen, since later passes replace a step's records and never change them
 * in place. Each iteration has its own args and needs.
 */
import type { LoopContext, PlanStep } from "../model/plan.js";
import type { ActionStep } from "../schema/index.js";
import {
  fill,
  freeVariablesOfExpression,
  freeVariablesOfTemplate,
  isTemplated,
  parseTemplate,
  renderValue,
  substitutionOf,
} from "../template/index.js";
import type { Inherited } from "./frame.js";
import type { Planner } from "./planner.js";
import { defaultName, PATH_ARGS } from "./steps.js";
import { itemLabel, LOOP_VARIABLES, whenList } from "./util.js";

/** A field's value in one iteration; NOT_HERE when buildStep must render it. */
type Field = (loop: LoopContext) => unknown;
const NOT_HERE = Symbol("render this iteration");

/** Builds iteration `loop` of the step whose first iteration is `first`; null: use buildStep. */
export type LoopBuilder = (loop: LoopContext, id: string, needs: string[]) => PlanStep | null;

/**
 * The builder of the iterations after the first, or null when this step must be built
 * by buildStep in every iteration. `vars` are the first iteration's variables, and
 * `reported` the planner's diagnostics count before it was built.
 */
export function loopFastPath(
  planner: Planner,
  step: ActionStep,
  own: Inherited,
  vars: Record<string, unknown>,
  first: PlanStep,
  reported: number,
): LoopBuilder | null {
  if (!eligible(planner, step, own, first, reported)) return null;
  const env = planner.opts.env;
  const compile = (value: unknown): Field | null => compileField(value, vars, env);
  const written = step.args as Record<string, unknown>;
  const args = compileNamed(Object.keys(written), written, compile);
  if (args === null) return null;
  const templatedName = step.name !== null && isTemplated(step.name);
  const name = templatedName ? compile(step.name) : null;
  if (templatedName && name === null) return null;
  const strings = compileNamed(STRING_KEYS, step, (v) => {
    if (v === null) return constant(null);
    const f = compile(v);
    return f === null ? null : map(f, String);
  });
  const exec = execFields(step, own, compile);
  if (strings === null || exec === null) return null;
  const varying = onlyVarying(strings);
  if (exec.constant) {
    Object.freeze(first.exec.env);
    Object.freeze(first.exec);
  }
  // Empty, and replaced (never filled in place) when a later pass gives them entries.
  Object.freeze(first.deferred);
  Object.freeze(first.compensate);
  Object.freeze(first.notify);
  Object.freeze(first.origin);
  if (first.skipped !== null) Object.freeze(first.skipped);

  return (loop, id, needs) => {
    const a: Record<string, unknown> = {};
    if (!fillNamed(args, loop, a)) return null;
    let title: string;
    if (step.name === null) title = defaultName(step.key, a);
    else if (name === null) title = `${step.name} (${itemLabel(loop)})`;
    else {
      const v = name(loop);
      if (v === NOT_HERE) return null;
      title = typeof v === "string" ? v : String(v);
    }
    const s: PlanStep = { ...first };
    s.id = id;
    s.name = title;
    s.args = a;
    s.needs = [...needs];
    s.loop = loop;
    if (!fillNamed(varying, loop, s as unknown as Record<string, unknown>)) return null;
    if (!exec.constant) {
      const e = exec.build(loop);
      if (e === null) return null;
      s.exec = e;
    }
    return s;
  };
}

/** Fields by name, in the order written: `keys[i]` is `fields[i]`'s. */
interface Named {
  keys: readonly string[];
  fields: Field[];
}

function compileNamed<T extends object>(
  keys: readonly (keyof T & string)[],
  from: T,
  compile: (value: unknown) => Field | null,
): Named | null {
  const fields: Field[] = [];
  for (const k of keys) {
    const f = compile(from[k]);
    if (f === null) return null;
    fields.push(f);
  }
  return { keys, fields };
}

/** The fields whose value changes from one iteration to the next. */
function onlyVarying(named: Named): Named {
  const keys: string[] = [];
  const fields: Field[] = [];
  named.fields.forEach((f, i) => {
    if (isConstant(f)) return;
    keys.push(named.keys[i]!);
    fields.push(f);
  });
  return { keys, fields };
}

/** Sets each field's value in `loop` on `out`; false when one must be left to buildStep. */
function fillNamed(named: Named, loop: LoopContext, out: Record<string, unknown>): boolean {
  const { keys, fields } = named;
  for (let i = 0; i < keys.length; i++) {
    const v = fields[i]!(loop);
    if (v === NOT_HERE) return false;
    out[keys[i]!] = v;
  }
  return true;
}

/** `f`'s value passed through `g` (a constant stays one). */
function map(f: Field, g: (v: unknown) => unknown): Field {
  if (isConstant(f)) return constant(g(f(null as unknown as LoopContext)));
  return (loop) => {
    const v = f(loop);
    return v === NOT_HERE ? v : g(v);
  };
}

/** What the fast path does not handle: every such step is built by buildStep. */
function eligible(
  planner: Planner,
  step: ActionStep,
  own: Inherited,
  first: PlanStep,
  reported: number,
): boolean {
  if (planner.diagnostics.length !== reported) return false;
  if (Object.keys(first.deferred).length > 0 || first.loop === null) return false;
  // Secrets, file arguments and a templated breaker key have side effects or checks per step.
  if (planner.secretNames.size > 0 || step.no_log !== null || step.breaker !== null) return false;
  if (PATH_ARGS[step.action] !== undefined || step.action === "service") return false;
  // A condition that reads the item is decided per iteration.
  for (const expr of [...own.when, ...whenList(step.when)]) {
    const fv = freeVariablesOfExpression(expr);
    if (fv.ok && fv.value.some((n) => LOOP_VARIABLES.has(n))) return false;
  }
  return true;
}

type StringKey = "creates" | "unless" | "removes" | "delegate_to";
/** The string fields buildStep renders with String(…), when set. */
const STRING_KEYS: readonly StringKey[] = ["creates", "unless", "removes", "delegate_to"];

const constants = new WeakSet<Field>();
const isConstant = (f: Field): boolean => constants.has(f);
function constant(v: unknown): Field {
  const f: Field = () => v;
  constants.add(f);
  return f;
}

/** exec as buildStep makes it: constant (then shared), or built per iteration. */
function execFields(
  step: ActionStep,
  own: Inherited,
  compile: (value: unknown) => Field | null,
):
  | { constant: true }
  | { constant: false; build: (loop: LoopContext) => PlanStep["exec"] | null }
  | null {
  const toEnv = (r: unknown) => (typeof r === "string" ? r : JSON.stringify(r));
  const env = compileNamed(Object.keys(step.env), step.env, (v) => {
    const f = compile(v);
    return f === null ? null : map(f, toEnv);
  });
  const text = (v: string | null) => {
    if (v === null) return constant(null);
    const f = compile(v);
    return f === null ? null : map(f, String);
  };
  const cwd = text(step.cwd);
  const user = text(own.becomeUser);
  if (env === null || cwd === null || user === null) return null;
  if ([...env.fields, cwd, user].every(isConstant)) return { constant: true };
  const become = own.become ?? false;
  return {
    constant: false,
    build: (loop) => {
      const e: Record<string, string> = { ...own.env };
      const c = cwd(loop);
      const u = user(loop);
      if (!fillNamed(env, loop, e) || c === NOT_HERE || u === NOT_HERE) return null;
      return { env: e, cwd: c as string | null, become, become_user: u as string | null };
    },
  };
}

/**
 * A field of the step as renderField would render it in each iteration, or null when
 * that needs the evaluator. Lists and maps are built anew per iteration: steps never
 * share their args.
 */
function compileField(
  value: unknown,
  vars: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Field | null {
  if (typeof value === "string") return compileString(value, vars, env);
  if (Array.isArray(value)) {
    const items: Field[] = [];
    for (const v of value) {
      const f = compileField(v, vars, env);
      if (f === null) return null;
      items.push(f);
    }
    return (loop) => {
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const v = items[i]!(loop);
        if (v === NOT_HERE) return NOT_HERE;
        out.push(v);
      }
      return out;
    };
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const named = compileNamed(Object.keys(record), record, (v) => compileField(v, vars, env));
    if (named === null) return null;
    return (loop) => {
      const out: Record<string, unknown> = {};
      return fillNamed(named, loop, out) ? out : NOT_HERE;
    };
  }
  return constant(value);
}

function compileString(
  text: string,
  vars: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Field | null {
  if (!isTemplated(text)) return constant(text);
  const fv = freeVariablesOfTemplate(text);
  if (!fv.ok) return null;
  if (!fv.value.some((n) => LOOP_VARIABLES.has(n))) {
    // The same in every iteration: the first one's value, when it is a plain scalar.
    const r = renderValue(text, vars, { env });
    if (!r.ok) return null;
    const v = r.value;
    const scalar = v === null || ["string", "number", "boolean"].includes(typeof v);
    return scalar ? constant(v) : null;
  }
  const sub = substitutionOf(text, parseTemplate(text));
  if (sub === null) return null;
  const lookup = (name: string, loop: LoopContext) => iterationValue(name, loop, vars);
  return (loop) => {
    const v = fill(sub, lookup, loop);
    return v === null ? NOT_HERE : v;
  };
}

/** A name's value in one iteration: the loop's own, or (the same in every iteration) a variable. */
function iterationValue(name: string, loop: LoopContext, vars: Record<string, unknown>): unknown {
  switch (name) {
    case "item":
      return loop.item;
    case "index":
      return loop.index;
    case "first":
      return loop.first;
    case "last":
      return loop.last;
    default:
      return Object.hasOwn(vars, name) ? vars[name] : undefined;
  }
}
