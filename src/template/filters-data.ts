/**
 * Filters about values themselves: `default` (lenient about undefined), conversions
 * (`int`, `float`, `string`, `bool`), numbers, and JSON/YAML in and out. JSON prints
 * the way Python's `json.dumps` does (`{"a": 1, "b": [1, 2]}`), as Ansible shows it.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { bool, num, optNum, optStr, str } from "./coerce.js";
import { fail, TemplateFailure } from "./errors.js";
import { checkValueDepth } from "./limits.js";
import { isDict } from "./plain.js";
import type { Definition } from "./registry.js";
import { isData } from "./sandbox.js";
import { Missing, toDisplayString, truthy, typeName } from "./values.js";

/** Python `json.dumps(v, indent=…, sort_keys=…)`. */
export function pyJson(v: unknown, indent: number | null, sortKeys: boolean, depth = 0): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    return String(v);
  }
  if (typeof v === "string") return JSON.stringify(v);
  const pad = indent === null ? "" : `\n${" ".repeat(indent * (depth + 1))}`;
  const close = indent === null ? "" : `\n${" ".repeat(indent * depth)}`;
  const sep = indent === null ? ", " : ",";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[${v.map((x) => pad + pyJson(x, indent, sortKeys, depth + 1)).join(sep)}${close}]`;
  }
  if (isDict(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return "{}";
    if (sortKeys) keys.sort();
    const body = keys.map(
      (k) => `${pad}${JSON.stringify(k)}: ${pyJson(v[k], indent, sortKeys, depth + 1)}`,
    );
    return `{${body.join(sep)}${close}}`;
  }
  return fail("type", `Object of type ${typeName(v)} is not JSON serializable`);
}

/**
 * Jinja's `int` filter: Python `int(s, base)` for a string, `int(v)` for anything else,
 * then `int(float(v))`, then the default. A base that Python refuses (not 0 or 2..36)
 * fails the first step, as in Jinja.
 */
function toInt(v: unknown, fallback: number, base: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string") return fallback;
  const parsed = pyParseInt(v, base);
  if (parsed !== null) return parsed;
  const f = toFloat(v.replace(/(?<=\d)_(?=\d)/g, ""), Number.NaN);
  return Number.isFinite(f) ? Math.trunc(f) : fallback;
}

const PREFIXES: Record<string, number> = { x: 16, o: 8, b: 2 };

/** Python `int(s, base)`, or null where Python raises: prefixes, `_` between digits. */
function pyParseInt(v: string, base: unknown): number | null {
  const b = base === undefined || base === null ? 10 : base;
  if (typeof b !== "number" || !Number.isInteger(b) || b === 1 || b < 0 || b > 36) return null;
  const m = /^([+-]?)(?:0([xob])_?)?(.*)$/is.exec(v.trim());
  if (m === null) return null;
  const [, sign = "", prefix, rest = ""] = m;
  let radix = b;
  let body = rest;
  if (prefix !== undefined) {
    const p = PREFIXES[prefix.toLowerCase()];
    if (b === 0 && p !== undefined) radix = p;
    else if (p !== b) {
      // Not a prefix for this base: `0b1` in base 16 is the digits 0, b, 1.
      radix = b;
      body = v.trim().slice(sign.length);
    }
  } else if (b === 0) {
    radix = 10;
    // Base 0 reads decimals like Python source: no leading zeros (`017` is an error).
    const plain = rest.replaceAll("_", "");
    if (plain.startsWith("0") && /[1-9]/.test(plain)) return null;
  }
  const digit = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, radix);
  if (!new RegExp(`^[${digit}]+(?:_[${digit}]+)*$`, "i").test(body)) return null;
  const n = Number.parseInt(body.replaceAll("_", ""), radix);
  return sign === "-" ? -n : n;
}

function toFloat(v: unknown, fallback: number): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "string") return fallback;
  const s = v.trim().toLowerCase();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return Number.NaN;
  return fallback;
}

/** Ansible's `bool` filter: 'yes', 'on', '1', 'true', 'y', 't' (any case) and 1 are true. */
function toBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string")
    return ["yes", "on", "1", "true", "y", "t"].includes(v.trim().toLowerCase());
  return v === 1;
}

function roundCommon(x: number, precision: number, method: string): number {
  const f = 10 ** precision;
  if (method === "ceil") return Math.ceil(x * f) / f;
  if (method === "floor") return Math.floor(x * f) / f;
  if (method !== "common") fail("value", "method must be 'common', 'ceil' or 'floor'");
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}

function fromParsed(v: unknown, what: string): unknown {
  checkValueDepth(v);
  if (!isPlainTree(v)) fail("value", `${what} produced a value that is not plain data`);
  return v;
}

function isPlainTree(v: unknown): boolean {
  if (!isData(v)) return false;
  if (Array.isArray(v)) return v.every(isPlainTree);
  if (isDict(v)) return Object.values(v).every(isPlainTree);
  return true;
}

const defaultFilter: Definition = {
  params: ["default_value", "boolean"],
  lenient: true,
  fn: ({ input, args }) => {
    const fallback = args[0] === undefined ? "" : args[0];
    if (input instanceof Missing) return fallback;
    if (args[1] instanceof Missing) throw new TemplateFailure({ ...args[1].error });
    return truthy(args[1]) && !truthy(input) ? fallback : input;
  },
};

export const DATA_FILTERS: Record<string, Definition> = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory: {
    params: ["msg"],
    lenient: true,
    fn: ({ input, args }) => {
      if (!(input instanceof Missing)) return input;
      const msg =
        typeof args[0] === "string"
          ? args[0]
          : `mandatory variable not defined: ${input.error.message}`;
      throw new TemplateFailure({ ...input.error, message: msg });
    },
  },
  int: {
    params: ["default", "base"],
    fn: ({ input, args }) => toInt(input, optNum(args[0], "filter 'int'", 0), args[1]),
  },
  float: {
    params: ["default"],
    fn: ({ input, args }) => toFloat(input, optNum(args[0], "filter 'float'", 0)),
  },
  string: { params: [], fn: ({ input }) => toDisplayString(input) },
  bool: { params: [], fn: ({ input }) => toBool(input) },
  abs: { params: [], fn: ({ input }) => Math.abs(num(input, "filter 'abs'")) },
  round: {
    params: ["precision", "method"],
    fn: ({ input, args }) =>
      roundCommon(
        num(input, "filter 'round'"),
        optNum(args[0], "filter 'round'", 0),
        optStr(args[1], "filter 'round'", "common"),
      ),
  },
  ternary: {
    params: ["true_val", "false_val", "none_val"],
    fn: ({ input, args }) => {
      if (input === null && args[2] !== undefined) return args[2];
      return truthy(input) ? (args[0] ?? null) : (args[1] ?? null);
    },
  },
  type_debug: { params: [], fn: ({ input }) => typeName(input) },
  to_json: {
    params: ["indent", "sort_keys"],
    fn: ({ input, args }) =>
      pyJson(input, typeof args[0] === "number" ? args[0] : null, bool(args[1], false)),
  },
  tojson: {
    params: ["indent"],
    fn: ({ input, args }) => pyJson(input, typeof args[0] === "number" ? args[0] : null, true),
  },
  to_nice_json: {
    params: ["indent", "sort_keys"],
    fn: ({ input, args }) =>
      pyJson(input, optNum(args[0], "filter 'to_nice_json'", 4), bool(args[1], true)),
  },
  from_json: {
    params: [],
    fn: ({ input }) => {
      try {
        return fromParsed(JSON.parse(str(input, "filter 'from_json'")), "from_json");
      } catch (e) {
        if (e instanceof TemplateFailure) throw e;
        return fail("value", `from_json: ${(e as Error).message}`);
      }
    },
  },
  to_yaml: {
    params: ["indent"],
    fn: ({ input, args }) =>
      stringifyYaml(input, { indent: optNum(args[0], "filter 'to_yaml'", 2) }),
  },
  to_nice_yaml: {
    params: ["indent"],
    fn: ({ input, args }) =>
      stringifyYaml(input, { indent: optNum(args[0], "filter 'to_nice_yaml'", 4) }),
  },
  from_yaml: {
    params: [],
    fn: ({ input }) => {
      try {
        return fromParsed(parseYaml(str(input, "filter 'from_yaml'")) ?? null, "from_yaml");
      } catch (e) {
        if (e instanceof TemplateFailure) throw e;
        return fail("value", `from_yaml: ${(e as Error).message.split("\n")[0]}`);
      }
    },
  },
};
