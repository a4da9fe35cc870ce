/**
 * The Python view of plain data: truthiness, type names for messages, equality and
 * ordering, and how a value prints in `{{ }}` (Python `str`/`repr`, as Jinja does).
 */
import { fail, type TemplateError } from "./errors.js";
import { isDict } from "./plain.js";
import { redact, Secret } from "./secret.js";

/**
 * An undefined name, attribute or index. It travels through further attribute access
 * (so `a.b.c | default(1)` works when `a` is missing, as in Ansible) and becomes its
 * error as soon as anything else uses it.
 *
 * A `soft` one is the value of an inline if without else whose test is false (`'x' if
 * false`): Jinja2 gives its plain `Undefined` there whatever the environment's, which
 * prints as '' and is falsy. It is undefined to `default`, `is defined` and the like,
 * and anything else uses it as '' instead of failing; attribute or item access on it
 * gives an ordinary (failing) Missing.
 */
export class Missing {
  readonly error: TemplateError;
  readonly soft: boolean;
  constructor(error: TemplateError, soft = false) {
    this.error = error;
    this.soft = soft;
  }
}

/** Python truthiness: none, false, 0, 0.0, '', [] and {} are false; '0' is true. */
export function truthy(v: unknown): boolean {
  if (v instanceof Secret) return truthy(v.value);
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** The Python type name used in messages: 'str', 'int', 'list', 'dict', 'NoneType' ... */
export function typeName(v: unknown): string {
  if (v instanceof Secret) return typeName(v.value);
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  if (isDict(v)) return "dict";
  return "object";
}

/** Jinja's name for a value in attribute errors: `'dict object' has no attribute 'x'`. */
export function objectName(v: unknown): string {
  return `${typeName(v)} object`;
}

export function isNumber(v: unknown): v is number | boolean {
  return typeof v === "number" || typeof v === "boolean";
}

/** Python `==`: `1 == 1.0`, `True == 1`, deep on lists and dicts, never identity. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/**
 * A string equal for two values exactly when `pyEquals` holds (dict keys in any
 * order), so that `unique` and the set filters run in linear time with a Set.
 */
export function equalityKey(v: unknown): string {
  // Length-prefixed strings make the encoding unambiguous without escaping, so the key
  // of a nested value stays as long as the value (escaping would double per level).
  if (isNumber(v)) return `n${Number(v)};`;
  if (typeof v === "string") return `s${v.length}:${v}`;
  if (Array.isArray(v)) return `[${v.map(equalityKey).join("")}]`;
  if (isDict(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${k.length}:${k}${equalityKey(v[k])}`).join("")}}`;
  }
  return v === null ? "z" : `?${typeof v}`;
}

/** Python ordering: numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown, op: string): number {
  if (isNumber(a) && isNumber(b)) return Math.sign(Number(a) - Number(b));
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  return fail(
    "type",
    `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** How `{{ v }}` prints: Python `str()`; secrets print redacted. */
export function toDisplayString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Secret) return String(redact(v));
  return repr(v);
}

/** Python `repr()`: `None`, `True`, `['a', 1]`, `{'k': 'v'}`. */
export function repr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return reprString(v);
  if (v instanceof Secret) return String(redact(v));
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  if (isDict(v)) {
    return `{${Object.keys(v)
      .map((k) => `${reprString(k)}: ${repr(v[k])}`)
      .join(", ")}}`;
  }
  return "<object>";
}

export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Number.POSITIVE_INFINITY) return "inf";
  if (n === Number.NEGATIVE_INFINITY) return "-inf";
  return String(n);
}

/** Python string repr: single quotes unless the text has one and no double quote. */
export function reprString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += `\\${q}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + q;
}
