/**
 * The operators with Python's meaning: `//` floors, `%` takes the divisor's sign (and
 * formats strings), `+` concatenates only like with like, `*` repeats sequences,
 * `in` tests substrings, list items and dict keys, slices follow Python's rules.
 */
import type { BinaryOp, CompareOp } from "./ast.js";
import { int } from "./coerce.js";
import { fail } from "./errors.js";
import { checkCharacters, checkItems } from "./limits.js";
import { isDict } from "./plain.js";
import { percent } from "./printf.js";
import { isNumber, pyCompare, pyEquals, toDisplayString, truthy, typeName } from "./values.js";

/** `not x`, `-x`, `+x` (booleans count as numbers, as in Python). */
export function unary(op: "not" | "-" | "+", v: unknown): unknown {
  if (op === "not") return !truthy(v);
  if (typeof v === "number" || typeof v === "boolean") return op === "-" ? -Number(v) : Number(v);
  return fail("type", `bad operand type for unary ${op}: '${typeName(v)}'`);
}

export function binary(op: BinaryOp, a: unknown, b: unknown): unknown {
  if (op === "~") return concat(toDisplayString(a), toDisplayString(b));
  if (isNumber(a) && isNumber(b)) return arithmetic(op, Number(a), Number(b));
  if (op === "+") {
    if (typeof a === "string" && typeof b === "string") return concat(a, b);
    if (Array.isArray(a) && Array.isArray(b)) {
      checkItems(a.length + b.length);
      return [...a, ...b];
    }
    if (typeof a === "string")
      fail("type", `can only concatenate str (not "${typeName(b)}") to str`);
    if (Array.isArray(a)) fail("type", `can only concatenate list (not "${typeName(b)}") to list`);
  }
  if (op === "*") {
    if (isNumber(b) && (typeof a === "string" || Array.isArray(a))) return repeat(a, Number(b));
    if (isNumber(a) && (typeof b === "string" || Array.isArray(b))) return repeat(b, Number(a));
  }
  if (op === "%" && typeof a === "string") return percent(a, b);
  return fail(
    "type",
    `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** `a ~ b` and `a + b`: the size is checked before the string is built. */
function concat(a: string, b: string): string {
  checkCharacters(a.length + b.length);
  return a + b;
}

function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "**":
      return a ** b;
    case "/":
      return b === 0 ? fail("value", "division by zero") : a / b;
    case "//":
      return b === 0 ? fail("value", "integer division by zero") : Math.floor(a / b);
    case "%":
      return b === 0 ? fail("value", "integer modulo by zero") : a - b * Math.floor(a / b);
    case "~":
      return fail("type", "'~' is not arithmetic");
  }
}

function repeat(seq: string | unknown[], times: number): string | unknown[] {
  const n = Math.max(0, Math.trunc(times));
  if (typeof seq === "string") {
    checkCharacters(seq.length * n);
    return seq.repeat(n);
  }
  checkItems(seq.length * n);
  // `[] * 10**9` is empty: without this the loop below would spin 10**9 times.
  if (seq.length === 0) return [];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...seq);
  return out;
}

export function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==":
      return pyEquals(a, b);
    case "!=":
      return !pyEquals(a, b);
    case "<":
      return pyCompare(a, b, op) < 0;
    case "<=":
      return pyCompare(a, b, op) <= 0;
    case ">":
      return pyCompare(a, b, op) > 0;
    case ">=":
      return pyCompare(a, b, op) >= 0;
    case "in":
      return contains(b, a);
    case "not in":
      return !contains(b, a);
  }
}

/** Python `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") {
      fail("type", `'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isDict(container)) {
    return (
      (typeof item === "string" || typeof item === "number") &&
      Object.hasOwn(container, String(item))
    );
  }
  return fail("type", `argument of type '${typeName(container)}' is not iterable`);
}

/** Python `seq[lower:upper:step]` on a list or string. */
export function slice(
  seq: unknown,
  lower: unknown,
  upper: unknown,
  step: unknown,
): string | unknown[] {
  const items = typeof seq === "string" ? [...seq] : Array.isArray(seq) ? seq : null;
  if (items === null) fail("type", `'${typeName(seq)}' object is not subscriptable`);
  const st = step === null ? 1 : int(step, "slice step");
  if (st === 0) fail("value", "slice step cannot be zero");
  const n = items.length;
  const clamp = (v: unknown, dflt: number): number => {
    if (v === null) return dflt;
    let i = int(v, "slice index");
    if (i < 0) i += n;
    return st > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1);
  };
  const from = clamp(lower, st > 0 ? 0 : n - 1);
  const to = clamp(upper, st > 0 ? n : -1);
  const out: unknown[] = [];
  for (let i = from; st > 0 ? i < to : i > to; i += st) out.push(items[i]);
  return typeof seq === "string" ? out.join("") : out;
}
