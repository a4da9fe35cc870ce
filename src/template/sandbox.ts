/**
 * The sandbox's two checks: which attribute names are never looked up (routes to
 * prototypes, constructors and Python internals), and which values count as data.
 * Everything an expression can reach passes through one of these.
 */
import { failAt, type TemplateError } from "./errors.js";
import { isDict } from "./plain.js";
import { Secret } from "./secret.js";

const BLOCKED = new Set([
  "constructor",
  "prototype",
  "mro",
  "toString",
  "toLocaleString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "caller",
  "callee",
]);

/** `__proto__`, `__class__`, `__globals__` ... and the JavaScript object plumbing. */
export function isBlockedName(name: string): boolean {
  return name.startsWith("__") || BLOCKED.has(name);
}

const REFUSED_HINT =
  "expressions see plain data only: strings, numbers, booleans, none, lists and dicts";

export function refuseName(name: string, offset: number): never {
  return failAt(
    "sandbox",
    `access to '${name}' is not allowed in the sandbox`,
    offset,
    name.length,
    REFUSED_HINT,
  );
}

/** The error of reading a refused name, as a value (a read gives an undefined value). */
export function refusal(name: string, offset: number): TemplateError {
  return {
    code: "sandbox",
    message: `access to '${name}' is not allowed in the sandbox`,
    offset,
    length: Math.max(name.length, 1),
    hint: REFUSED_HINT,
  };
}

/** Null, booleans, numbers, strings, arrays, plain objects and secrets; never functions. */
export function isData(v: unknown): boolean {
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      return v === null || Array.isArray(v) || isDict(v) || v instanceof Secret;
    case "undefined":
    case "bigint":
    case "symbol":
    case "function":
      return false;
  }
}

/** Refuse a value read from the scope that is not data (a function, class instance, Map ...). */
export function checkData(v: unknown, what: string, offset: number, length: number): void {
  if (v !== undefined && !isData(v)) {
    failAt(
      "sandbox",
      `${what} is not plain data (${typeof v}) and cannot be used in an expression`,
      offset,
      length,
    );
  }
}
