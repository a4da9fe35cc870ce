/**
 * The sandboxed evaluator: walks an expression tree over plain data. Names resolve in
 * the local frames (`for`, `set`) and then the scope, with Object.hasOwn; filters,
 * tests, functions and methods come only from their registered tables; reading into a
 * value (attributes, items) is access.ts. Undefined
 * values travel as `Missing` until something uses them; secrets taint every result
 * computed from them.
 */
import type { Expr, ExprOf } from "./ast.js";
import { fail, failAt, locate, TemplateFailure } from "./errors.js";
import { FILTERS } from "./filters.js";
import { FUNCTIONS, unavailableHint } from "./functions.js";
import { TESTS } from "./jinja-tests.js";
import type { Budget } from "./limits.js";
import { attribute, hard, item, refusedRead } from "./access.js";
import { METHOD_NAMES, methodFor } from "./methods.js";
import { binary, compare, slice, unary } from "./operators.js";
import { type Dict, setOwn } from "./plain.js";
import { bindArguments, type CallContext, type Definition } from "./registry.js";
import { checkData, isBlockedName, refuseName } from "./sandbox.js";
import { findSecret, reveal, Secret, taintWith } from "./secret.js";
import { didYouMean } from "./suggest.js";
import { Missing, truthy, typeName } from "./values.js";

export type Scope = Record<string, unknown>;

/** Local variables of `for` bodies and `set`, innermost first. */
export interface Frame {
  vars: Map<string, unknown>;
  parent: Frame | null;
}

export interface Context {
  scope: Scope;
  frame: Frame | null;
  env: Readonly<Record<string, string | undefined>>;
  /** Shared by the whole evaluation, loops and nested calls included. */
  budget: Budget;
  /** Made on first use and reused: filters are applied in loops. */
  calls?: CallContext;
}

/**
 * Evaluate to a value that may still be `Missing` or a `Secret`. Each node costs one
 * operation, and what it produces is charged and checked against the limits here.
 */
export function evalNode(e: Expr, ctx: Context): unknown {
  ctx.budget.spend(1);
  const v = evalInner(e, ctx);
  if (COMPUTED.has(e.type) && (typeof v === "string" || typeof v === "object")) {
    at(e, () => ctx.budget.produced(reveal(v)));
  }
  return v;
}

/** Nodes that build a new value; calls are charged in `apply`, lookups build nothing. */
const COMPUTED = new Set<Expr["type"]>(["list", "binary", "slice"]);

function evalInner(e: Expr, ctx: Context): unknown {
  switch (e.type) {
    case "literal":
      return e.value;
    case "name":
      return lookupName(e, ctx);
    case "list":
      return e.items.map((x) => value(x, ctx));
    case "dict":
      return dictLiteral(e, ctx);
    case "member":
      if (isBlockedName(e.name)) return refusedRead(e.name, e.nameStart);
      return attribute(evalNode(e.object, ctx), e.name, e.nameStart, e.name.length);
    case "index":
      return indexNode(e, ctx);
    case "slice": {
      const parts = [e.object, e.lower, e.upper, e.step].map((x) =>
        x === null ? null : value(x, ctx),
      );
      return tainted(parts, (p) => at(e, () => slice(p[0], p[1], p[2], p[3])));
    }
    case "call":
      return callNode(e, ctx);
    case "filter":
      return filterNode(e, ctx);
    case "test":
      return testNode(e, ctx);
    case "unary": {
      const v = value(e.operand, ctx);
      return tainted([v], ([x]) => at(e, () => unary(e.op, x)));
    }
    case "binary": {
      const l = value(e.left, ctx);
      const r = value(e.right, ctx);
      return tainted([l, r], ([a, b]) => at(e, () => binary(e.op, a, b)));
    }
    case "logical": {
      const l = value(e.left, ctx);
      const decided = e.op === "and" ? !truthy(l) : truthy(l);
      if (decided) return l;
      return taintWith(value(e.right, ctx), l instanceof Secret ? l : null);
    }
    case "compare":
      return compareNode(e, ctx);
    case "cond": {
      const test = value(e.test, ctx);
      const taint = test instanceof Secret ? test : null;
      if (truthy(test)) return taintWith(value(e.consequent, ctx), taint);
      if (e.alternate !== null) return taintWith(value(e.alternate, ctx), taint);
      // A Missing cannot carry a taint: a secret test gives a tainted '' instead.
      return taint === null ? noElse(e) : taintWith("", taint);
    }
  }
}

/** Evaluate and insist on a defined value: a `Missing` becomes its error here. */
export function value(e: Expr, ctx: Context): unknown {
  return defined(evalNode(e, ctx));
}

export function defined(v: unknown): unknown {
  if (v instanceof Missing) {
    if (v.soft) return "";
    throw new TemplateFailure({ ...v.error });
  }
  return v;
}

/** The value of `x if test` when the test is false: Jinja's plain Undefined. */
function noElse(e: ExprOf<"cond">): Missing {
  const message = "the inline if-expression evaluated to false and no else section was defined";
  return new Missing(
    { code: "undefined", message, offset: e.start, length: e.end - e.start },
    true,
  );
}

/** Run an operation that may fail unlocated, giving the failure the node's span. */
export function at<T>(e: { start: number; end: number }, f: () => T): T {
  try {
    return f();
  } catch (x) {
    throw locate(x, e.start, e.end - e.start);
  }
}

/** Compute on revealed values; the result is secret when any input was. */
function tainted(values: unknown[], f: (revealed: unknown[]) => unknown): unknown {
  const taint = findSecret(values);
  if (taint === null) return f(values);
  return taintWith(f(values.map(reveal)), taint);
}

function lookupName(e: ExprOf<"name">, ctx: Context): unknown {
  if (isBlockedName(e.name)) return refusedRead(e.name, e.start);
  for (let f = ctx.frame; f !== null; f = f.parent) {
    if (f.vars.has(e.name)) return f.vars.get(e.name);
  }
  if (Object.hasOwn(ctx.scope, e.name)) {
    const v = ctx.scope[e.name];
    checkData(v, `'${e.name}'`, e.start, e.name.length);
    if (v !== undefined) return v;
  }
  return new Missing({
    code: "undefined",
    message: `'${e.name}' is undefined`,
    offset: e.start,
    length: e.name.length,
    hint: `define '${e.name}', or guard it with '${e.name} | default(...)' or '${e.name} is defined'`,
  });
}

function indexNode(e: ExprOf<"index">, ctx: Context): unknown {
  const obj = evalNode(e.object, ctx);
  const key = value(e.index, ctx);
  const { start } = e.index;
  const length = e.index.end - start;
  if (typeof key === "string" && isBlockedName(key)) return refusedRead(key, start);
  if (obj instanceof Missing) return hard(obj);
  if (key instanceof Secret || obj instanceof Secret) {
    const taint = findSecret([obj, key]);
    return taintWith(item(reveal(obj), reveal(key), start, length), taint);
  }
  return item(obj, key, start, length);
}

function dictLiteral(e: ExprOf<"dict">, ctx: Context): unknown {
  const out: Dict = {};
  let taint: Secret | null = null;
  for (const entry of e.entries) {
    let key = value(entry.key, ctx);
    if (key instanceof Secret) {
      taint = key;
      key = reveal(key);
    }
    if (typeof key === "number") key = String(key);
    const { start, end } = entry.key;
    if (typeof key !== "string")
      failAt("type", `unhashable dict key of type '${typeName(key)}'`, start, end - start);
    if (isBlockedName(key)) refuseName(key, start);
    setOwn(out, key, value(entry.value, ctx));
  }
  return taintWith(out, taint);
}

function compareNode(e: ExprOf<"compare">, ctx: Context): unknown {
  let left = value(e.first, ctx);
  let taint: Secret | null = null;
  for (const { op, right } of e.rest) {
    const r = value(right, ctx);
    if (op === "in" || op === "not in") ctx.budget.taken(reveal(r));
    taint = taint ?? findSecret([left, r]);
    const ok = at(e, () => compare(op, reveal(left), reveal(r)));
    if (!ok) return taintWith(false, taint);
    left = r;
  }
  return taintWith(true, taint);
}

function evalArguments(
  e: { args: Expr[]; kwargs: { name: string; value: Expr }[] },
  ctx: Context,
): { positional: unknown[]; keywords: [string, unknown][] } {
  return {
    positional: e.args.map((a) => evalNode(a, ctx)),
    keywords: e.kwargs.map((k) => [k.name, evalNode(k.value, ctx)]),
  };
}

/** Apply a definition: check arguments, force undefined ones unless lenient, carry taint. */
function apply(
  what: string,
  def: Definition,
  input: unknown,
  positional: unknown[],
  keywords: [string, unknown][],
  ctx: Context,
): unknown {
  const callCtx = callContext(ctx);
  ctx.budget.spend(1);
  ctx.budget.taken(reveal(input));
  const result = applyDefinition(def, what, input, positional, keywords, callCtx);
  const out = reveal(result);
  if (out !== reveal(input)) ctx.budget.produced(out);
  return result;
}

function applyDefinition(
  def: Definition,
  what: string,
  input: unknown,
  positional: unknown[],
  keywords: [string, unknown][],
  callCtx: CallContext,
): unknown {
  if (def.lenient) {
    const { args, rest, named } = bindArguments(what, def, positional, keywords);
    return def.fn({ input, args, rest, named, ctx: callCtx });
  }
  const subject = defined(input);
  const { args, rest, named } = bindArguments(
    what,
    def,
    positional.map(defined),
    keywords.map(([k, v]) => [k, defined(v)]),
  );
  const values = named.map(([, v]) => v);
  return tainted([subject, ...args, ...rest, ...values], ([i, ...a]) => {
    const n = args.length + rest.length;
    return def.fn({
      input: i,
      args: a.slice(0, args.length),
      rest: a.slice(args.length, n),
      named: named.map(([k], j) => [k, a[n + j]]),
      ctx: callCtx,
    });
  });
}

function callContext(ctx: Context): CallContext {
  ctx.calls ??= makeCallContext(ctx);
  return ctx.calls;
}

function makeCallContext(ctx: Context): CallContext {
  return {
    env: ctx.env,
    budget: ctx.budget,
    filter: (name, input, args) => {
      const def = FILTERS.get(name);
      if (def === undefined)
        fail("unknown-filter", `no filter named '${name}'`, didYouMean(name, FILTERS.keys()));
      return apply(`filter '${name}'`, def, input, args, [], ctx);
    },
    test: (name, v, args) => {
      const def = TESTS.get(name);
      if (def === undefined)
        fail("unknown-test", `no test named '${name}'`, didYouMean(name, TESTS.keys()));
      return truthy(apply(`test '${name}'`, def, v, args, [], ctx));
    },
  };
}

function filterNode(e: ExprOf<"filter">, ctx: Context): unknown {
  const input = evalNode(e.subject, ctx);
  const name = e.name.startsWith("ansible.builtin.") ? e.name.slice(16) : e.name;
  const def = FILTERS.get(name);
  if (def === undefined) {
    const hint = didYouMean(name, FILTERS.keys());
    return failAt(
      "unknown-filter",
      `no filter named '${e.name}'`,
      e.nameStart,
      e.name.length,
      hint,
    );
  }
  const { positional, keywords } = evalArguments(e, ctx);
  try {
    return apply(`filter '${name}'`, def, input, positional, keywords, ctx);
  } catch (x) {
    throw locate(x, e.nameStart, e.name.length);
  }
}

function testNode(e: ExprOf<"test">, ctx: Context): unknown {
  const subject = evalNode(e.subject, ctx);
  const def = TESTS.get(e.name);
  if (def === undefined) {
    const hint = didYouMean(e.name, TESTS.keys());
    return failAt("unknown-test", `no test named '${e.name}'`, e.nameStart, e.name.length, hint);
  }
  const args = e.args.map((a) => evalNode(a, ctx));
  try {
    const result = apply(`test '${e.name}'`, def, subject, args, [], ctx);
    const taint = result instanceof Secret ? result : null;
    return taintWith(truthy(result) !== e.negated, taint);
  } catch (x) {
    throw locate(x, e.nameStart, e.name.length);
  }
}

function callNode(e: ExprOf<"call">, ctx: Context): unknown {
  const { callee } = e;
  if (callee.type === "name") {
    const def = FUNCTIONS.get(callee.name);
    const length = callee.end - callee.start;
    if (def === undefined) {
      const hint = unavailableHint(callee.name) ?? didYouMean(callee.name, FUNCTIONS.keys());
      return failAt(
        "unknown-function",
        `no function named '${callee.name}'`,
        callee.start,
        length,
        hint,
      );
    }
    const { positional, keywords } = evalArguments(e, ctx);
    try {
      return apply(`${callee.name}()`, def, undefined, positional, keywords, ctx);
    } catch (x) {
      throw locate(x, callee.start, length);
    }
  }
  if (callee.type === "member") {
    if (isBlockedName(callee.name)) refuseName(callee.name, callee.nameStart);
    const receiver = value(callee.object, ctx);
    const def = methodFor(reveal(receiver), callee.name);
    const length = callee.name.length;
    if (def === undefined) {
      const target = attribute(receiver, callee.name, callee.nameStart, length);
      if (target instanceof Missing && !METHOD_NAMES.has(callee.name)) {
        // No type has a method of this name: a typo, reported as checkNames does.
        const hint = didYouMean(callee.name, METHOD_NAMES);
        const message = `no method named '${callee.name}'`;
        return failAt("unknown-function", message, callee.nameStart, length, hint);
      }
      if (target instanceof Missing) throw new TemplateFailure({ ...target.error });
      return failAt(
        "type",
        `'${typeName(target)}' object is not callable`,
        callee.nameStart,
        length,
      );
    }
    const { positional, keywords } = evalArguments(e, ctx);
    try {
      return apply(`${callee.name}()`, def, receiver, positional, keywords, ctx);
    } catch (x) {
      throw locate(x, callee.nameStart, length);
    }
  }
  const target = value(callee, ctx);
  return failAt(
    "type",
    `'${typeName(target)}' object is not callable`,
    callee.start,
    callee.end - callee.start,
  );
}
