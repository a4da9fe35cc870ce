/**
 * Jinja2 and Ansible tests: the names after `is` (`x is defined`, `n is divisibleby 3`)
 * and the test names `select`/`reject` take. `defined`/`undefined` are lenient: they
 * are the ways to ask about a missing value without failing.
 */
import { dict, num, str } from "./coerce.js";
import { contains } from "./operators.js";
import { isDict } from "./plain.js";
import { compile, search } from "./regex.js";
import { type Definition, table } from "./registry.js";
import { Missing, pyCompare, pyEquals, truthy } from "./values.js";

const is = (fn: (v: unknown) => boolean): Definition => ({
  params: [],
  fn: ({ input }) => fn(input),
});
const withArg = (fn: (v: unknown, a: unknown) => boolean): Definition => ({
  params: ["other"],
  fn: ({ input, args }) => fn(input, args[0]),
});
const isInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v);

function regexTest(kind: "match" | "search"): Definition {
  return {
    params: ["pattern", "ignorecase", "multiline"],
    fn: ({ input, args }) => {
      const flags = { ignorecase: args[1] === true, multiline: args[2] === true };
      const re = compile(str(args[0], `test '${kind}'`), flags);
      const s = str(input, `test '${kind}'`);
      // Python's re.match: a match at the start. The leftmost match starts there if any does.
      return kind === "match" ? search(re, s)?.index === 0 : re.test(s);
    },
  };
}

/**
 * Ansible's tests on a registered result (`r is failed`, `r is changed` ...): they read
 * the result's own fields, absent fields being false, and insist on a mapping.
 */
const resultTest = (name: string, fn: (r: Record<string, unknown>) => boolean): Definition =>
  is((v) => fn(dict(v, `test '${name}'`)));
const field = (r: Record<string, unknown>, k: string): boolean =>
  Object.hasOwn(r, k) && truthy(r[k]);
const failed = resultTest("failed", (r) => field(r, "failed"));
const succeeded = resultTest("succeeded", (r) => !field(r, "failed"));
const changed = resultTest("changed", (r) => field(r, "changed"));
const skipped = resultTest("skipped", (r) => field(r, "skipped"));
/** Ansible's `finished` reads an async job's `finished` field, which defaults to true. */
const finished = resultTest("finished", (r) => !Object.hasOwn(r, "finished") || truthy(r.finished));

const ordering = (ok: (c: number) => boolean, op: string): Definition =>
  withArg((v, a) => ok(pyCompare(v, a, op)));

export const TESTS = table({
  defined: { params: [], lenient: true, fn: ({ input }) => !(input instanceof Missing) },
  undefined: { params: [], lenient: true, fn: ({ input }) => input instanceof Missing },
  none: is((v) => v === null),
  failed,
  failure: failed,
  succeeded,
  success: succeeded,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  finished,
  number: is((v) => typeof v === "number" || typeof v === "boolean"),
  integer: is(isInt),
  float: is((v) => typeof v === "number" && !Number.isInteger(v)),
  string: is((v) => typeof v === "string"),
  boolean: is((v) => typeof v === "boolean"),
  mapping: is(isDict),
  iterable: is((v) => typeof v === "string" || Array.isArray(v) || isDict(v)),
  sequence: is((v) => typeof v === "string" || Array.isArray(v) || isDict(v)),
  callable: is(() => false),
  true: is((v) => v === true),
  false: is((v) => v === false),
  truthy: is(truthy),
  falsy: is((v) => !truthy(v)),
  lower: is((v) => typeof v === "string" && v === v.toLowerCase()),
  upper: is((v) => typeof v === "string" && v === v.toUpperCase()),
  even: is((v) => num(v, "test 'even'") % 2 === 0),
  odd: is((v) => Math.abs(num(v, "test 'odd'") % 2) === 1),
  divisibleby: withArg((v, n) => num(v, "test 'divisibleby'") % num(n, "test 'divisibleby'") === 0),
  in: withArg((v, seq) => contains(seq, v)),
  contains: withArg((seq, v) => contains(seq, v)),
  subset: withArg((a, b) => Array.isArray(a) && Array.isArray(b) && a.every((x) => contains(b, x))),
  superset: withArg(
    (a, b) => Array.isArray(a) && Array.isArray(b) && b.every((x) => contains(a, x)),
  ),
  startswith: withArg((v, p) =>
    str(v, "test 'startswith'").startsWith(str(p, "test 'startswith'")),
  ),
  endswith: withArg((v, p) => str(v, "test 'endswith'").endsWith(str(p, "test 'endswith'"))),
  match: regexTest("match"),
  search: regexTest("search"),
  regex: regexTest("search"),
  eq: withArg(pyEquals),
  equalto: withArg(pyEquals),
  "==": withArg(pyEquals),
  ne: withArg((a, b) => !pyEquals(a, b)),
  "!=": withArg((a, b) => !pyEquals(a, b)),
  sameas: withArg((a, b) => a === b),
  lt: ordering((c) => c < 0, "<"),
  "<": ordering((c) => c < 0, "<"),
  le: ordering((c) => c <= 0, "<="),
  "<=": ordering((c) => c <= 0, "<="),
  gt: ordering((c) => c > 0, ">"),
  ">": ordering((c) => c > 0, ">"),
  ge: ordering((c) => c >= 0, ">="),
  ">=": ordering((c) => c >= 0, ">="),
});
