/**
 * Plain data: what the sandbox lets expressions see (null, booleans, numbers, strings,
 * arrays, plain objects). Helpers here never touch a prototype: lookups use
 * Object.hasOwn and writes define own data properties.
 */
export type Dict = Record<string, unknown>;

/** A plain object: `{}` or `Object.create(null)`, never a class instance, Map or function. */
export function isDict(v: unknown): v is Dict {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Define an own data property: a key named `__proto__` stays data, never a prototype. */
export function setOwn(o: Dict, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Build a dict from entries without ever invoking a setter. */
export function dictFrom(entries: Iterable<readonly [string, unknown]>): Dict {
  const out: Dict = {};
  for (const [k, v] of entries) setOwn(out, k, v);
  return out;
}

/** An environment variable, own entries only: `env('constructor')` must not find Object.prototype's. */
export function envGet(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const v = Object.hasOwn(env, name) ? env[name] : undefined;
  return typeof v === "string" ? v : undefined;
}
