/**
 * Method calls Ansible users write (`x.startswith('a')`, `d.get(k, 0)`, `d.items()`):
 * an explicit whitelist per value type. A name not listed here is never looked up on
 * the JavaScript value, so no method call can reach a JavaScript function.
 */
import { iterable, optNum, str } from "./coerce.js";
import { fail } from "./errors.js";
import { joinChecked } from "./limits.js";
import { capitalize, pyReplace, pySplit, pyStrip, pyTitle } from "./filters-text.js";
import { isDict } from "./plain.js";
import type { Definition } from "./registry.js";
import { pyEquals, toDisplayString } from "./values.js";

const self = (f: (s: string) => unknown): Definition => ({
  params: [],
  fn: ({ input }) => f(input as string),
});

/** `startswith('a')` or `startswith(('a', 'b'))`. */
const affix = (name: string, test: (s: string, p: string) => boolean): Definition => ({
  params: ["prefix"],
  fn: ({ input, args }) => {
    const options = Array.isArray(args[0]) ? args[0] : [args[0]];
    return options.some((p) => test(input as string, str(p, `${name}()`)));
  },
});

const chars = (v: unknown): string | null =>
  v === undefined || v === null ? null : str(v, "strip()");

const STRING = new Map<string, Definition>([
  ["startswith", affix("startswith", (s, p) => s.startsWith(p))],
  ["endswith", affix("endswith", (s, p) => s.endsWith(p))],
  [
    "split",
    {
      params: ["sep", "maxsplit"],
      fn: ({ input, args }) =>
        pySplit(
          input as string,
          args[0] === undefined || args[0] === null ? null : str(args[0], "split()"),
          optNum(args[1], "split()", -1),
        ),
    },
  ],
  [
    "strip",
    {
      params: ["chars"],
      fn: ({ input, args }) => pyStrip(input as string, chars(args[0]), true, true),
    },
  ],
  [
    "lstrip",
    {
      params: ["chars"],
      fn: ({ input, args }) => pyStrip(input as string, chars(args[0]), true, false),
    },
  ],
  [
    "rstrip",
    {
      params: ["chars"],
      fn: ({ input, args }) => pyStrip(input as string, chars(args[0]), false, true),
    },
  ],
  ["lower", self((s) => s.toLowerCase())],
  ["upper", self((s) => s.toUpperCase())],
  ["title", self(pyTitle)],
  ["capitalize", self(capitalize)],
  [
    "replace",
    {
      params: ["old", "new", "count"],
      fn: ({ input, args }) =>
        pyReplace(
          input as string,
          str(args[0], "replace()"),
          str(args[1], "replace()"),
          optNum(args[2], "replace()", -1),
        ),
    },
  ],
  [
    "find",
    { params: ["sub"], fn: ({ input, args }) => (input as string).indexOf(str(args[0], "find()")) },
  ],
  [
    "count",
    {
      params: ["sub"],
      fn: ({ input, args }) => (input as string).split(str(args[0], "count()")).length - 1,
    },
  ],
  ["isdigit", self((s) => /^\d+$/.test(s))],
  ["isalpha", self((s) => /^\p{L}+$/u.test(s))],
  ["isalnum", self((s) => /^[\p{L}\d]+$/u.test(s))],
  ["islower", self((s) => /\p{Ll}/u.test(s) && s === s.toLowerCase())],
  ["isupper", self((s) => /\p{Lu}/u.test(s) && s === s.toUpperCase())],
  [
    "splitlines",
    self((s) => s.split(/\r?\n/).filter((l, i, all) => i < all.length - 1 || l !== "")),
  ],
  [
    "join",
    {
      params: ["items"],
      fn: ({ input, args }) =>
        joinChecked(iterable(args[0], "join()").map(toDisplayString), input as string),
    },
  ],
  [
    "format",
    {
      params: [],
      variadic: true,
      fn: ({ input, rest }) => {
        let next = 0;
        return (input as string).replace(/\{(\d*)\}/g, (_m, i: string) => {
          const v = rest[i === "" ? next++ : Number(i)];
          if (v === undefined) fail("value", "format(): not enough arguments");
          return toDisplayString(v);
        });
      },
    },
  ],
]);

const DICT = new Map<string, Definition>([
  [
    "get",
    {
      params: ["key", "default"],
      fn: ({ input, args }) => {
        const d = input as Record<string, unknown>;
        const key = typeof args[0] === "number" ? String(args[0]) : args[0];
        if (typeof key === "string" && Object.hasOwn(d, key) && d[key] !== undefined) return d[key];
        return args[1] ?? null;
      },
    },
  ],
  ["keys", { params: [], fn: ({ input }) => Object.keys(input as object) }],
  ["values", { params: [], fn: ({ input }) => Object.values(input as object) }],
  [
    "items",
    { params: [], fn: ({ input }) => Object.entries(input as object).map(([k, v]) => [k, v]) },
  ],
]);

const LIST = new Map<string, Definition>([
  [
    "index",
    {
      params: ["value"],
      fn: ({ input, args }) => {
        const i = (input as unknown[]).findIndex((x) => pyEquals(x, args[0]));
        return i < 0 ? fail("value", "list.index(x): x not in list") : i;
      },
    },
  ],
  [
    "count",
    {
      params: ["value"],
      fn: ({ input, args }) => (input as unknown[]).filter((x) => pyEquals(x, args[0])).length,
    },
  ],
]);

/** The whitelisted method `name` of this value's type, if any. */
export function methodFor(receiver: unknown, name: string): Definition | undefined {
  if (typeof receiver === "string") return STRING.get(name);
  if (isDict(receiver)) return DICT.get(name);
  if (Array.isArray(receiver)) return LIST.get(name);
  return undefined;
}

/** Every whitelisted method name, of any type: a name outside it can never be called. */
export const METHOD_NAMES: ReadonlySet<string> = new Set([
  ...STRING.keys(),
  ...DICT.keys(),
  ...LIST.keys(),
]);
