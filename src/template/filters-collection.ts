/**
 * Filters over lists and dicts: size, order, selection, mapping, set operations and
 * the dict/list conversions Ansible playbooks lean on (`dict2items`, `combine` ...).
 */
import { bool, dict, int, iterable, length, list, optStr, str } from "./coerce.js";
import { fail } from "./errors.js";
import { checkItems, joinChecked } from "./limits.js";
import { type Dict, dictFrom, isDict, setOwn } from "./plain.js";
import type { CallContext, Definition } from "./registry.js";
import { isBlockedName } from "./sandbox.js";
import { equalityKey, Missing, pyCompare, toDisplayString, truthy } from "./values.js";

/** Jinja's attribute paths (`'user.name'`, `'ports.0'`) for map, sort, selectattr, sum ... */
export function attributePath(item: unknown, path: string): unknown {
  let v = item;
  for (const part of path.split(".")) {
    if (isBlockedName(part)) fail("sandbox", `access to '${part}' is not allowed in the sandbox`);
    if (isDict(v) && Object.hasOwn(v, part) && v[part] !== undefined) v = v[part];
    else if (Array.isArray(v) && /^-?\d+$/.test(part) && v.at(Number(part)) !== undefined) {
      v = v.at(Number(part));
    } else {
      return new Missing({
        code: "undefined",
        message: `'${isDict(v) ? "dict" : "list"} object' has no attribute '${part}'`,
        offset: -1,
        length: 0,
      });
    }
  }
  return v;
}

function attributeOrFail(item: unknown, path: string): unknown {
  const v = attributePath(item, path);
  if (v instanceof Missing) fail("undefined", v.error.message);
  return v;
}

/** Sort key: Jinja compares strings case-insensitively unless asked otherwise. */
function keyOf(item: unknown, attribute: unknown, caseSensitive: boolean): unknown {
  const v = typeof attribute === "string" ? attributeOrFail(item, attribute) : item;
  return !caseSensitive && typeof v === "string" ? v.toLowerCase() : v;
}

function extreme(sign: 1 | -1, name: string): Definition {
  return {
    params: ["case_sensitive", "attribute"],
    fn: ({ input, args }) => {
      const items = iterable(input, `filter '${name}'`);
      if (items.length === 0) {
        return new Missing({
          code: "undefined",
          message: `no ${name} item, sequence was empty`,
          offset: -1,
          length: 0,
        });
      }
      const cs = bool(args[0], false);
      return items.reduce((best, x) =>
        sign * pyCompare(keyOf(x, args[1], cs), keyOf(best, args[1], cs), name) > 0 ? x : best,
      );
    },
  };
}

/** The first of each group of equal items, in order; linear (Python's equality by key). */
function uniqueOf(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const key = equalityKey(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `select('odd')`, `select('equalto', 3)`, `select()` (truthy). */
function selecting(keep: boolean, byAttribute: boolean): Definition {
  const params = byAttribute ? ["attribute", "test"] : ["test"];
  return {
    params,
    variadic: true,
    fn: ({ input, args, rest, ctx }) => {
      const items = iterable(input, "filter 'select'");
      const attr = byAttribute ? str(args[0], "filter 'selectattr'") : null;
      const test = args[byAttribute ? 1 : 0];
      return items.filter((x) => {
        const v = attr === null ? x : attributePath(x, attr);
        const passed =
          test === undefined ? truthy(defined(v)) : ctx.test(str(test, "test name"), v, rest);
        return passed === keep;
      });
    },
  };
}

function defined(v: unknown): unknown {
  if (v instanceof Missing) fail("undefined", v.error.message);
  return v;
}

function mapFilter(input: unknown, args: unknown[], rest: unknown[], ctx: CallContext): unknown[] {
  const items = iterable(input, "filter 'map'");
  const [name, attribute, fallback] = args;
  if (typeof attribute === "string") {
    return items.map((x) => {
      const v = attributePath(x, attribute);
      if (v instanceof Missing && fallback !== undefined) return fallback;
      return defined(v);
    });
  }
  if (name === undefined) fail("type", "filter 'map' needs a filter name or attribute=");
  const filter = str(name, "filter 'map'");
  return items.map((x) => ctx.filter(filter, x, rest));
}

/** Ansible `combine`: later dicts win; `recursive=true` merges nested dicts. */
function combine(a: Dict, b: Dict, recursive: boolean): Dict {
  const out = dictFrom(Object.entries(a));
  for (const k of Object.keys(b)) {
    const av = out[k];
    const bv = b[k];
    setOwn(
      out,
      k,
      recursive && isDict(av) && isDict(bv) && Object.hasOwn(out, k) ? combine(av, bv, true) : bv,
    );
  }
  return out;
}

/** Ansible `flatten`: `levels` deep (all when none), dropping null items unless told not to. */
function flatten(items: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (skipNulls && (x === null || x === "None" || x === "null")) continue;
    if (Array.isArray(x) && (levels === null || levels >= 1))
      out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

/**
 * Jinja `dictsort`: the dict's `[key, value]` pairs sorted by key (or by value), strings
 * compared case-insensitively unless `case_sensitive`.
 */
function dictsort(input: unknown, args: unknown[]): unknown[][] {
  const d = dict(input, "filter 'dictsort'");
  const cs = bool(args[0], false);
  const by = optStr(args[1], "filter 'dictsort'", "key");
  if (by !== "key" && by !== "value")
    fail("value", "filter 'dictsort': 'by' must be 'key' or 'value'");
  const sign = bool(args[2], false) ? -1 : 1;
  const at = by === "key" ? 0 : 1;
  const pairs = Object.keys(d).map((k) => [k, d[k]]);
  return pairs.sort(
    (a, b) => sign * pyCompare(keyOf(a[at], null, cs), keyOf(b[at], null, cs), "<"),
  );
}

/** Python `zip` (shortest wins) and `zip_longest` (padded with `fillvalue`). */
function zipLists(lists: unknown[][], longest: boolean, fill: unknown): unknown[][] {
  const lengths = lists.map((l) => l.length);
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lengths) : Math.min(...lengths);
  checkItems(n * lists.length);
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) out.push(lists.map((l) => (i < l.length ? l[i] : fill)));
  return out;
}

/** `itertools.product`: every combination, the last list varying fastest. */
function product(lists: unknown[][]): unknown[][] {
  checkItems(lists.reduce((n, l) => n * l.length, 1) * Math.max(lists.length, 1));
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out;
}

const listOp = (name: string, fn: (a: unknown[], b: unknown[]) => unknown[]): Definition => ({
  params: ["other"],
  fn: ({ input, args }) => fn(list(input, `filter '${name}'`), list(args[0], `filter '${name}'`)),
});

/** Membership in `xs` by Python equality, with the keys of `xs` computed once. */
function memberOf(xs: unknown[]): (x: unknown) => boolean {
  const keys = new Set(xs.map(equalityKey));
  return (x) => keys.has(equalityKey(x));
}

export const COLLECTION_FILTERS: Record<string, Definition> = {
  length: { params: [], fn: ({ input }) => length(input) },
  count: { params: [], fn: ({ input }) => length(input) },
  list: { params: [], fn: ({ input }) => [...iterable(input, "filter 'list'")] },
  join: {
    params: ["d", "attribute"],
    fn: ({ input, args }) => {
      const items = iterable(input, "filter 'join'");
      const values =
        typeof args[1] === "string"
          ? items.map((x) => attributeOrFail(x, args[1] as string))
          : items;
      return joinChecked(values.map(toDisplayString), optStr(args[0], "filter 'join'", ""));
    },
  },
  first: {
    params: [],
    fn: ({ input }) => {
      const items = iterable(input, "filter 'first'");
      if (items.length > 0) return items[0];
      return new Missing({
        code: "undefined",
        message: "no first item, sequence was empty",
        offset: -1,
        length: 0,
      });
    },
  },
  last: {
    params: [],
    fn: ({ input }) => {
      const items = iterable(input, "filter 'last'");
      if (items.length > 0) return items[items.length - 1];
      return new Missing({
        code: "undefined",
        message: "no last item, sequence was empty",
        offset: -1,
        length: 0,
      });
    },
  },
  min: extreme(-1, "min"),
  max: extreme(1, "max"),
  sum: {
    params: ["attribute", "start"],
    fn: ({ input, args }) => {
      const items = iterable(input, "filter 'sum'");
      let total: unknown = args[1] ?? 0;
      for (const x of items) {
        const v = typeof args[0] === "string" ? attributeOrFail(x, args[0]) : x;
        if (Array.isArray(total) && Array.isArray(v)) total = [...total, ...v];
        else if (typeof total === "number" && (typeof v === "number" || typeof v === "boolean"))
          total += Number(v);
        else fail("type", "filter 'sum' can only add numbers (or lists with start=[])");
      }
      return total;
    },
  },
  unique: { params: [], fn: ({ input }) => uniqueOf(iterable(input, "filter 'unique'")) },
  sort: {
    params: ["reverse", "case_sensitive", "attribute"],
    fn: ({ input, args }) => {
      const items = [...iterable(input, "filter 'sort'")];
      const cs = bool(args[1], false);
      const sign = bool(args[0], false) ? -1 : 1;
      return items.sort(
        (a, b) => sign * pyCompare(keyOf(a, args[2], cs), keyOf(b, args[2], cs), "<"),
      );
    },
  },
  reverse: {
    params: [],
    fn: ({ input }) =>
      typeof input === "string"
        ? [...input].reverse().join("")
        : [...iterable(input, "filter 'reverse'")].reverse(),
  },
  map: {
    params: ["filter"],
    kwonly: ["attribute", "default"],
    variadic: true,
    fn: ({ input, args, rest, ctx }) => mapFilter(input, args, rest, ctx),
  },
  select: selecting(true, false),
  reject: selecting(false, false),
  selectattr: selecting(true, true),
  rejectattr: selecting(false, true),
  dict2items: {
    params: ["key_name", "value_name"],
    fn: ({ input, args }) => {
      const d = dict(input, "filter 'dict2items'");
      const kn = optStr(args[0], "filter 'dict2items'", "key");
      const vn = optStr(args[1], "filter 'dict2items'", "value");
      return Object.keys(d).map((k) =>
        dictFrom([
          [kn, k],
          [vn, d[k]],
        ]),
      );
    },
  },
  items2dict: {
    params: ["key_name", "value_name"],
    fn: ({ input, args }) => {
      const kn = optStr(args[0], "filter 'items2dict'", "key");
      const vn = optStr(args[1], "filter 'items2dict'", "value");
      return dictFrom(
        list(input, "filter 'items2dict'").map((x) => {
          const k = attributeOrFail(x, kn);
          if (typeof k !== "string" && typeof k !== "number")
            fail("type", "filter 'items2dict': keys must be strings");
          if (isBlockedName(String(k)))
            fail("sandbox", `access to '${String(k)}' is not allowed in the sandbox`);
          return [String(k), attributeOrFail(x, vn)] as const;
        }),
      );
    },
  },
  combine: {
    params: [],
    kwonly: ["recursive", "list_merge"],
    variadic: true,
    fn: ({ input, args, rest }) =>
      rest.reduce<Dict>(
        (acc, d) => combine(acc, dict(d, "filter 'combine'"), bool(args[0], false)),
        dict(input, "filter 'combine'"),
      ),
  },
  keys: { params: [], fn: ({ input }) => Object.keys(dict(input, "filter 'keys'")) },
  values: { params: [], fn: ({ input }) => Object.values(dict(input, "filter 'values'")) },
  items: {
    params: [],
    fn: ({ input }) => Object.entries(dict(input, "filter 'items'")).map(([k, v]) => [k, v]),
  },
  flatten: {
    params: ["levels", "skip_nulls"],
    fn: ({ input, args }) => {
      const levels =
        args[0] === undefined || args[0] === null ? null : int(args[0], "filter 'flatten'");
      return flatten(list(input, "filter 'flatten'"), levels, bool(args[1], true));
    },
  },
  dictsort: {
    params: ["case_sensitive", "by", "reverse"],
    fn: ({ input, args }) => dictsort(input, args),
  },
  zip: {
    params: [],
    variadic: true,
    fn: ({ input, rest }) =>
      zipLists(
        [input, ...rest].map((l) => iterable(l, "filter 'zip'")),
        false,
        null,
      ),
  },
  zip_longest: {
    params: [],
    kwonly: ["fillvalue"],
    variadic: true,
    fn: ({ input, args, rest }) =>
      zipLists(
        [input, ...rest].map((l) => iterable(l, "filter 'zip_longest'")),
        true,
        args[0] ?? null,
      ),
  },
  product: {
    params: [],
    kwonly: ["repeat"],
    variadic: true,
    fn: ({ input, args, rest }) => {
      const lists = [input, ...rest].map((l) => iterable(l, "filter 'product'"));
      const repeat = args[0] === undefined ? 1 : int(args[0], "filter 'product'");
      if (repeat < 0) fail("value", "filter 'product': repeat must be >= 0");
      checkItems(lists.length * repeat);
      const all: unknown[][] = [];
      for (let r = 0; r < repeat; r++) all.push(...lists);
      return product(all);
    },
  },
  union: listOp("union", (a, b) => uniqueOf([...a, ...b])),
  intersect: listOp("intersect", (a, b) => uniqueOf(a.filter(memberOf(b)))),
  difference: listOp("difference", (a, b) => {
    const inB = memberOf(b);
    return uniqueOf(a.filter((x) => !inB(x)));
  }),
  symmetric_difference: listOp("symmetric_difference", (a, b) => {
    const [inA, inB] = [memberOf(a), memberOf(b)];
    return uniqueOf([...a.filter((x) => !inB(x)), ...b.filter((x) => !inA(x))]);
  }),
  batch: {
    params: ["size"],
    fn: ({ input, args }) => {
      const items = list(input, "filter 'batch'");
      const n =
        typeof args[0] === "number" && args[0] >= 1
          ? Math.trunc(args[0])
          : fail("value", "batch size must be >= 1");
      checkItems(items.length);
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
      return out;
    },
  },
};
