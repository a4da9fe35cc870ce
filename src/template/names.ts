/**
 * Name checking without evaluation: the first filter, test, function or method name
 * that no table knows, so that a typo in a field that can only be rendered at run time
 * is still reported at plan time. Test and filter names given as string literals to
 * `select`/`reject`/`selectattr`/`rejectattr`/`map` are checked too.
 */
import type { Expr } from "./ast.js";
import type { TemplateError } from "./errors.js";
import { FILTERS } from "./filters.js";
import { FUNCTIONS, unavailableHint } from "./functions.js";
import { TESTS } from "./jinja-tests.js";
import { METHOD_NAMES } from "./methods.js";
import { didYouMean } from "./suggest.js";
import { childrenOf } from "./walk.js";

function problem(
  code: TemplateError["code"],
  message: string,
  offset: number,
  length: number,
  hint: string | undefined,
): TemplateError {
  const error: TemplateError = { code, message, offset, length: Math.max(length, 1) };
  if (hint !== undefined) error.hint = hint;
  return error;
}

function unknownFilter(name: string, offset: number, length: number): TemplateError {
  const hint = didYouMean(name, FILTERS.keys());
  return problem("unknown-filter", `no filter named '${name}'`, offset, length, hint);
}

function unknownTest(name: string, offset: number, length: number): TemplateError {
  const hint = didYouMean(name, TESTS.keys());
  return problem("unknown-test", `no test named '${name}'`, offset, length, hint);
}

/** The test (or filter) name a higher-order filter receives as a string literal. */
function namedArgument(e: Extract<Expr, { type: "filter" }>, name: string): TemplateError | null {
  const at = (i: number): Expr | undefined => e.args[i];
  const literal = (x: Expr | undefined): x is Extract<Expr, { type: "literal" }> =>
    x?.type === "literal" && typeof x.value === "string";
  const check = (x: Expr | undefined, kind: "test" | "filter"): TemplateError | null => {
    if (!literal(x) || typeof x.value !== "string") return null;
    const known = kind === "test" ? TESTS.has(x.value) : FILTERS.has(x.value);
    if (known) return null;
    const offset = x.start + 1;
    return kind === "test"
      ? unknownTest(x.value, offset, x.value.length)
      : unknownFilter(x.value, offset, x.value.length);
  };
  switch (name) {
    case "select":
    case "reject":
      return check(at(0), "test");
    case "selectattr":
    case "rejectattr":
      return check(at(1), "test");
    case "map":
      return e.kwargs.some((k) => k.name === "attribute") ? null : check(at(0), "filter");
    default:
      return null;
  }
}

/** The unknown name used by this node itself (not its children), if any. */
function ownProblem(e: Expr): TemplateError | null {
  if (e.type === "filter") {
    const name = e.name.startsWith("ansible.builtin.") ? e.name.slice(16) : e.name;
    if (!FILTERS.has(name)) return unknownFilter(e.name, e.nameStart, e.name.length);
    return namedArgument(e, name);
  }
  if (e.type === "test") {
    return TESTS.has(e.name) ? null : unknownTest(e.name, e.nameStart, e.name.length);
  }
  if (e.type !== "call") return null;
  const { callee } = e;
  if (callee.type === "name" && !FUNCTIONS.has(callee.name)) {
    const hint = unavailableHint(callee.name) ?? didYouMean(callee.name, FUNCTIONS.keys());
    const message = `no function named '${callee.name}'`;
    return problem("unknown-function", message, callee.start, callee.name.length, hint);
  }
  if (callee.type === "member" && !METHOD_NAMES.has(callee.name)) {
    const hint = didYouMean(callee.name, METHOD_NAMES);
    const message = `no method named '${callee.name}'`;
    return problem("unknown-function", message, callee.nameStart, callee.name.length, hint);
  }
  return null;
}

/** The unknown name that comes first in the source among these expressions, or null. */
export function firstUnknownName(roots: Expr[]): TemplateError | null {
  let first: TemplateError | null = null;
  const stack = [...roots];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const p = ownProblem(e);
    if (p !== null && (first === null || p.offset < first.offset)) first = p;
    stack.push(...childrenOf(e));
  }
  return first;
}
