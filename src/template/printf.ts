/**
 * Python's printf-style formatting, `'%-5s|%05.2f' % (a, b)` and the `format` filter:
 * `%[(key)][flags][width][.precision]type` with the flags `-`, `0`, `+`, space and
 * `#`, `*` width and precision, and the types `s r a d i u o x X e E f F g G c %`.
 * A spec with a `(key)` reads a dict on the right.
 */
import { checkCharacters } from "./limits.js";
import { fail } from "./errors.js";
import { isDict } from "./plain.js";
import { isNumber, repr, toDisplayString, typeName } from "./values.js";

interface Spec {
  key: string | null;
  flags: string;
  width: number | "*" | null;
  precision: number | "*" | null;
  type: string;
}

const FLAGS = "-+ #0";
const TYPES = "sradiuoxXeEfFgGc%";

/**
 * `format % right`. The engine has no tuple type (`(1, 2)` is a list), so which lists
 * are argument tuples is a heuristic: a list is the tuple of arguments only when the
 * format takes more than one positional argument (`'%s-%s' % [1, 2]` is "1-2"), and
 * otherwise one argument, as a list is in Python (`'%s' % [1, 2]` is "[1, 2]"). The
 * price: a one-item tuple is one argument too (`'%s' % (1,)` is "[1]", not "1").
 */
export function percent(format: string, right: unknown): string {
  return printf(format, right, Array.isArray(right) && positionalCount(format) > 1);
}

/** How many positional arguments the format takes: its specs without a key, and `*`s. */
function positionalCount(format: string): number {
  let count = 0;
  for (let i = format.indexOf("%"); i >= 0; i = format.indexOf("%", i)) {
    const [spec, end] = parseSpec(format, i);
    if (spec.width === "*") count++;
    if (spec.precision === "*") count++;
    if (spec.key === null && spec.type !== "%") count++;
    i = end;
  }
  return count;
}

/**
 * `format % values`. `values` is the tuple of arguments when `tuple` is true (see
 * `percent`, and the `format` filter's arguments), else one argument.
 */
export function printf(format: string, values: unknown, tuple: boolean): string {
  const args = tuple && Array.isArray(values) ? values : [values];
  const mapping = !tuple || args.length === 1 ? args[0] : undefined;
  let next = 0;
  let usedMapping = false;
  const take = (): unknown => {
    if (next >= args.length) fail("type", "not enough arguments for format string");
    return args[next++];
  };
  let out = "";
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    const [spec, end] = parseSpec(format, pct);
    i = end;
    if (spec.type === "%" && spec.key === null) {
      out += "%";
      continue;
    }
    let v: unknown;
    if (spec.key !== null) {
      if (!isDict(mapping)) fail("type", "format requires a mapping");
      if (!Object.hasOwn(mapping, spec.key) || mapping[spec.key] === undefined)
        fail("value", `format key '${spec.key}' is not in the mapping`);
      usedMapping = true;
      v = mapping[spec.key];
    }
    const width = spec.width === "*" ? starArg(take()) : spec.width;
    const precision = spec.precision === "*" ? starArg(take()) : spec.precision;
    if (spec.key === null) v = take();
    out += convert(spec, v, width, precision);
  }
  // Python does not complain about unused arguments when the right side is a mapping
  // (or anything with items that is not a tuple: `'a' % [1]` is "a").
  const itemized = isDict(mapping) || (!tuple && Array.isArray(mapping));
  if (next < args.length && !usedMapping && !itemized)
    fail("type", "not all arguments converted during string formatting");
  return out;
}

function starArg(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) fail("type", "* wants int");
  return v;
}

/** Parse the spec whose `%` is at `at`; return it and the offset after it. */
function parseSpec(f: string, at: number): [Spec, number] {
  let i = at + 1;
  let key: string | null = null;
  if (f[i] === "(") {
    let depth = 1;
    const start = i + 1;
    while (depth > 0) {
      i++;
      if (i >= f.length) fail("value", "incomplete format key");
      if (f[i] === "(") depth++;
      else if (f[i] === ")") depth--;
    }
    key = f.slice(start, i);
    i++;
  }
  let flags = "";
  while (i < f.length && FLAGS.includes(f[i] ?? "")) flags += f[i++];
  const number = (): number | "*" | null => {
    if (f[i] === "*") {
      i++;
      return "*";
    }
    const m = /^\d+/.exec(f.slice(i, i + 12));
    if (m === null) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  const width = number();
  let precision: number | "*" | null = null;
  if (f[i] === ".") {
    i++;
    precision = number() ?? 0;
  }
  // Python accepts (and ignores) a length modifier.
  if (f[i] === "h" || f[i] === "l" || f[i] === "L") i++;
  const type = f[i];
  if (type === undefined) fail("value", "incomplete format");
  if (!TYPES.includes(type)) {
    const code = type.codePointAt(0) ?? 0;
    fail(
      "value",
      `unsupported format character '${type}' (0x${code.toString(16)}) at index ${i}`,
      "write '%%' for a literal percent sign",
    );
  }
  return [{ key, flags, width, precision, type }, i + 1];
}

function convert(spec: Spec, v: unknown, width: number | null, precision: number | null): string {
  const { flags, type } = spec;
  let left = flags.includes("-");
  let w = width;
  if (w !== null && w < 0) {
    left = true;
    w = -w;
  }
  if (w !== null) checkCharacters(w);
  if (precision !== null) checkCharacters(precision);
  let sign = "";
  let body: string;
  let numeric = true;
  switch (type) {
    case "s":
    case "r":
    case "a": {
      numeric = false;
      body = type === "s" ? toDisplayString(v) : repr(v);
      if (precision !== null) body = [...body].slice(0, precision).join("");
      break;
    }
    case "c": {
      numeric = false;
      if (typeof v === "string" && [...v].length === 1) body = v;
      else if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0x10ffff)
        body = String.fromCodePoint(v);
      else body = fail("type", "%c requires an int or a single character");
      break;
    }
    case "d":
    case "i":
    case "u": {
      const n = realArg(v, type);
      if (!Number.isFinite(n)) fail("value", `cannot convert float ${String(n)} to integer`);
      const t = Math.trunc(n);
      [sign, body] = [t < 0 ? "-" : "", bigDigits(Math.abs(t))];
      body = zeroPrecision(body, precision);
      break;
    }
    case "o":
    case "x":
    case "X": {
      const n = intArg(v, type);
      const radix = type === "o" ? 8 : 16;
      sign = n < 0 ? "-" : "";
      body = BigInt(Math.abs(n)).toString(radix);
      body = zeroPrecision(body, precision);
      if (flags.includes("#")) body = (type === "o" ? "0o" : "0x") + body;
      if (type === "X") body = body.toUpperCase();
      break;
    }
    default: {
      const n = realArg(v, type);
      sign = n < 0 || Object.is(n, -0) ? "-" : "";
      body = floatBody(Math.abs(n), type, precision ?? 6, flags.includes("#"));
      if (!Number.isFinite(n)) numeric = false;
      break;
    }
  }
  if (type !== "s" && type !== "r" && type !== "a" && type !== "c" && sign === "") {
    if (flags.includes("+")) sign = "+";
    else if (flags.includes(" ")) sign = " ";
  }
  const length = [...body].length + sign.length;
  if (w === null || length >= w) return sign + body;
  const pad = w - length;
  if (left) return sign + body + " ".repeat(pad);
  if (flags.includes("0") && numeric) return sign + "0".repeat(pad) + body;
  return " ".repeat(pad) + sign + body;
}

/** `%.3d` pads the digits with zeros to the precision, as C and Python do. */
function zeroPrecision(digits: string, precision: number | null): string {
  return precision !== null && digits.length < precision ? digits.padStart(precision, "0") : digits;
}

/** Every digit of a non-negative integral number, beyond 1e21 too. */
function bigDigits(n: number): string {
  return n < 1e21 ? String(n) : BigInt(n).toString();
}

function realArg(v: unknown, type: string): number {
  if (!isNumber(v)) fail("type", `%${type} format: a real number is required, not ${typeName(v)}`);
  return Number(v);
}

function intArg(v: unknown, type: string): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number" || !Number.isInteger(v))
    fail("type", `%${type} format: an integer is required, not ${typeName(v)}`);
  return v;
}

/** `%e %f %g` of a non-negative number (the sign is handled by the caller). */
function floatBody(n: number, type: string, precision: number, alt: boolean): string {
  const upper = type === "E" || type === "F" || type === "G";
  if (!Number.isFinite(n)) {
    const s = Number.isNaN(n) ? "nan" : "inf";
    return upper ? s.toUpperCase() : s;
  }
  let body: string;
  if (type === "f" || type === "F") body = fixed(n, precision, alt);
  else if (type === "e" || type === "E") body = exponential(n, precision, alt);
  else {
    const p = precision === 0 ? 1 : precision;
    const exp = n === 0 ? 0 : Number(n.toExponential(p - 1).split("e")[1]);
    if (exp >= -4 && exp < p) {
      body = fixed(n, p - 1 - exp, alt);
      if (!alt && body.includes(".")) body = body.replace(/\.?0+$/, "");
    } else {
      body = exponential(n, p - 1, alt);
      if (!alt) body = body.replace(/\.?0+e/, "e");
    }
  }
  return upper ? body.toUpperCase() : body;
}

function fixed(n: number, precision: number, alt: boolean): string {
  let s: string;
  if (n >= 1e21) {
    s = BigInt(n).toString();
    if (precision > 0) s += `.${"0".repeat(precision)}`;
  } else {
    s = halfEven(n.toFixed(precision), n.toFixed(100), precision);
  }
  return alt && precision === 0 ? `${s}.` : s;
}

/** Python's exponent has a sign and at least two digits: `1.5e+03`. */
function exponential(n: number, precision: number, alt: boolean): string {
  const rounded = n.toExponential(precision);
  const [exact = "", exactExp] = n.toExponential(100).split("e");
  const [roundedMantissa = "", exp = "0"] = rounded.split("e");
  // A tie rounds to the same exponent both ways, so the mantissas line up.
  const mantissa = exp === exactExp ? halfEven(roundedMantissa, exact, precision) : roundedMantissa;
  const e = Number(exp);
  const digits = String(Math.abs(e)).padStart(2, "0");
  const m = alt && precision === 0 ? `${mantissa}.` : mantissa;
  return `${m}e${e < 0 ? "-" : "+"}${digits}`;
}

/**
 * JavaScript rounds an exact tie away from zero (`(2.5).toFixed(0)` is "3"), Python to
 * even ("2"). `rounded` has `precision` decimals, `exact` the exact digits (100 decimals,
 * which hold every tie a double can make at a precision below 100).
 */
function halfEven(rounded: string, exact: string, precision: number): string {
  if (precision >= 100) return rounded;
  const point = exact.indexOf(".");
  const cut = point + 1 + precision;
  if (!/^50*$/.test(exact.slice(cut))) return rounded;
  const truncated = exact.slice(0, precision === 0 ? point : cut);
  const last = Number(truncated.at(-1));
  return last % 2 === 0 ? truncated : rounded;
}
