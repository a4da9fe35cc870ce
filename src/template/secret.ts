/**
 * Taint for secrets (SPEC §1.7). A `Secret` wraps a value; the evaluator carries the
 * mark through every operation, filter, function and method: whatever is computed
 * from a secret is a secret, and a template that prints one renders to a secret.
 * Callers get the raw value only by asking for it (`reveal`), and print `redact`.
 */
import { isDict, setOwn } from "./plain.js";

export class Secret<T = unknown> {
  readonly value: T;
  readonly name: string;
  constructor(value: T, name: string) {
    this.value = value;
    this.name = name;
    Secret.created = true;
  }
  /** Set once any secret exists, so that evaluation without secrets skips every scan. */
  static created = false;
}

export function secret<T>(value: T, name: string): Secret<T> {
  return value instanceof Secret ? (value as Secret<T>) : new Secret(value, name);
}

export function isSecret(v: unknown): v is Secret {
  return v instanceof Secret;
}

/** The raw value, with every secret inside it unwrapped. */
export function reveal(v: unknown): unknown {
  if (!Secret.created) return v;
  return revealDeep(v);
}

/** What a secret looks like wherever it must not appear: `«secret:name»`. */
export function redact(v: unknown): unknown {
  if (v instanceof Secret) return `«secret:${v.name}»`;
  if (!Secret.created) return v;
  if (Array.isArray(v)) return v.map(redact);
  if (isDict(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, redact(v[k]));
    return out;
  }
  return v;
}

/** The first secret found in `values` (deeply), or null. */
export function findSecret(values: readonly unknown[]): Secret | null {
  if (!Secret.created) return null;
  for (const v of values) {
    const s = secretIn(v);
    if (s) return s;
  }
  return null;
}

/** Mark `v` secret when `taint` is a secret; results of tainted computations go through here. */
export function taintWith(v: unknown, taint: Secret | null): unknown {
  if (taint === null || v instanceof Secret) return v;
  return new Secret(v, taint.name);
}

function secretIn(v: unknown): Secret | null {
  if (v instanceof Secret) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = secretIn(x);
      if (s) return s;
    }
  } else if (isDict(v)) {
    for (const k of Object.keys(v)) {
      const s = secretIn(v[k]);
      if (s) return s;
    }
  }
  return null;
}

function revealDeep(v: unknown): unknown {
  if (v instanceof Secret) return revealDeep(v.value);
  if (Array.isArray(v)) return secretIn(v) ? v.map(revealDeep) : v;
  if (isDict(v) && secretIn(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, revealDeep(v[k]));
    return out;
  }
  return v;
}

/**
 * A secret in a plan: the placeholder string itself (`«secret:db_pw»`), standing where
 * a variable or loop item holds a secret. The plan, its text and its diff then show the
 * reference as-is, and the driver swaps it for the value when a step that reads it runs.
 */
export function secretRef(name: string): string {
  return `«secret:${name}»`;
}

// Escaped: esbuild keeps a regex literal's characters as written, and one non-ASCII
// character makes V8 hold the whole CLI bundle as a two-byte string (slower to read).
const REF = /^\u00absecret:([A-Za-z0-9_.-]+)\u00bb$/;

/** The secret's name when `v` is a reference made by `secretRef`, else null. */
export function refName(v: unknown): string | null {
  if (typeof v !== "string" || !v.startsWith("«secret:")) return null;
  return REF.exec(v)?.[1] ?? null;
}
