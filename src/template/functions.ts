/**
 * The function table: the mooncake/expr function library (`starts_with(x, 'a')`,
 * `len(x)`, `is_defined(x)` ...) and Jinja's `range`. A call `f(...)` reaches
 * these and nothing else; `is_defined`, `default`, `coalesce` and `has` are lenient
 * about undefined arguments.
 */
import { int, iterable, length, num, optNum, optStr, str } from "./coerce.js";
import { fail } from "./errors.js";
import { checkItems, joinChecked } from "./limits.js";
import { pyReplace, pySplit } from "./filters-text.js";
import { contains } from "./operators.js";
import { envGet, isDict } from "./plain.js";
import { compile } from "./regex.js";
import { type Definition, table } from "./registry.js";
import { isBlockedName } from "./sandbox.js";
import { Missing, pyCompare, toDisplayString, truthy } from "./values.js";

const fn1 = (f: (a: unknown) => unknown): Definition => ({
  params: ["value"],
  fn: ({ args }) => f(args[0]),
});
const fn2 = (f: (a: unknown, b: unknown) => unknown): Definition => ({
  params: ["a", "b"],
  fn: ({ args }) => f(args[0], args[1]),
});
const strFn = (name: string, f: (s: string) => unknown): Definition =>
  fn1((a) => f(str(a, `${name}()`)));

/** `min(a, b, c)` or `min([a, b, c])`. */
function extreme(name: string, sign: 1 | -1): Definition {
  return {
    params: [],
    variadic: true,
    fn: ({ rest }) => {
      const items = rest.length === 1 ? iterable(rest[0], `${name}()`) : rest;
      if (items.length === 0) fail("value", `${name}() of an empty sequence`);
      return items.reduce((best, x) => (sign * pyCompare(x, best, name) > 0 ? x : best));
    },
  };
}

function range(args: unknown[]): number[] {
  const [a, b, c] = args;
  const start = b === undefined ? 0 : int(a, "range()");
  const stop = b === undefined ? int(a, "range()") : int(b, "range()");
  const step = c === undefined ? 1 : int(c, "range()");
  if (step === 0) fail("value", "range() arg 3 must not be zero");
  checkItems(Math.max(0, Math.ceil((stop - start) / step)));
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

const emptyish = (v: unknown): boolean => v instanceof Missing || v === null || v === "";

export const FUNCTIONS = table({
  range: {
    params: ["start", "stop", "step"],
    fn: ({ args }) => range(args.filter((a) => a !== undefined)),
  },
  has: {
    params: ["container", "key"],
    lenient: true,
    fn: ({ args }) => {
      const [c, k] = args;
      if (c instanceof Missing || c === null) return false;
      if (k instanceof Missing) fail("undefined", k.error.message);
      return isDict(c) || Array.isArray(c) || typeof c === "string" ? contains(c, k) : false;
    },
  },
  starts_with: fn2((s, p) => str(s, "starts_with()").startsWith(str(p, "starts_with()"))),
  ends_with: fn2((s, p) => str(s, "ends_with()").endsWith(str(p, "ends_with()"))),
  lower: strFn("lower", (s) => s.toLowerCase()),
  upper: strFn("upper", (s) => s.toUpperCase()),
  trim: strFn("trim", (s) => s.trim()),
  split: fn2((s, sep) =>
    pySplit(str(s, "split()"), sep === undefined ? null : str(sep, "split()"), -1),
  ),
  join: fn2((xs, sep) =>
    joinChecked(iterable(xs, "join()").map(toDisplayString), optStr(sep, "join()", "")),
  ),
  replace: {
    params: ["s", "old", "new"],
    fn: ({ args }) =>
      pyReplace(
        str(args[0], "replace()"),
        str(args[1], "replace()"),
        str(args[2], "replace()"),
        -1,
      ),
  },
  regex_match: fn2((s, p) => compile(str(p, "regex_match()")).test(str(s, "regex_match()"))),
  min: extreme("min", -1),
  max: extreme("max", 1),
  abs: fn1((x) => Math.abs(num(x, "abs()"))),
  floor: fn1((x) => Math.floor(num(x, "floor()"))),
  ceil: fn1((x) => Math.ceil(num(x, "ceil()"))),
  round: fn2((x, d) => {
    const f = 10 ** optNum(d, "round()", 0);
    const v = num(x, "round()");
    return (Math.sign(v) * Math.round(Math.abs(v) * f)) / f;
  }),
  pow: fn2((x, y) => num(x, "pow()") ** num(y, "pow()")),
  sqrt: fn1((x) => {
    const v = num(x, "sqrt()");
    return v < 0 ? fail("value", "math domain error") : Math.sqrt(v);
  }),
  // mooncake: len(nil) is 0; includes(element, list), and (list, element) is still read.
  len: fn1((v) => (v === null ? 0 : length(v))),
  includes: fn2((a, b) =>
    Array.isArray(b) ? contains(b, a) : b === null || a === null ? false : contains(a, b),
  ),
  empty: fn1((v) => v === null || (typeof v !== "number" && typeof v !== "boolean" && !truthy(v))),
  first: fn1((v) => iterable(v, "first()")[0] ?? null),
  last: fn1((v) => iterable(v, "last()").at(-1) ?? null),
  is_string: fn1((v) => typeof v === "string"),
  is_number: fn1((v) => typeof v === "number"),
  is_bool: fn1((v) => typeof v === "boolean"),
  is_array: fn1(Array.isArray),
  is_map: fn1(isDict),
  is_defined: { params: ["value"], lenient: true, fn: ({ args }) => !(args[0] instanceof Missing) },
  default: {
    params: ["value", "fallback"],
    lenient: true,
    // `default(x)` without a fallback gives none, not JavaScript's undefined.
    // `default()` with no value at all is none too.
    fn: ({ args }) => (args[0] === undefined || emptyish(args[0]) ? (args[1] ?? null) : args[0]),
  },
  coalesce: {
    params: [],
    variadic: true,
    lenient: true,
    fn: ({ rest }) => rest.find((v) => !(v instanceof Missing) && v !== null) ?? null,
  },
  ternary: {
    params: ["condition", "if_true", "if_false"],
    fn: ({ args }) => {
      const [condition, ifTrue, ifFalse] = args;
      if (ifTrue === undefined || ifFalse === undefined) {
        return fail("type", "ternary() takes a condition and two values");
      }
      return truthy(condition) ? ifTrue : ifFalse;
    },
  },
  env: {
    params: ["name", "default"],
    fn: ({ args, ctx }) => {
      const name = str(args[0], "env()");
      return envGet(ctx.env, name) ?? optStr(args[1], "env()", "");
    },
  },
  has_env: {
    params: ["name"],
    fn: ({ args, ctx }) => envGet(ctx.env, str(args[0], "has_env()")) !== undefined,
  },
});

const UNAVAILABLE = new Set([
  "lookup",
  "query",
  "q",
  "lipsum",
  "cycler",
  "joiner",
  "namespace",
  "now",
  "self",
]);

/** Why a Jinja/Ansible global is missing, for the error hint. */
export function unavailableHint(name: string): string | undefined {
  if (UNAVAILABLE.has(name))
    return `'${name}' is not available: expressions are pure (no I/O, clock or state)`;
  if (isBlockedName(name)) return "not allowed in the sandbox";
  return undefined;
}
