/**
 * Which secrets a field reads, decided by name at plan time (SPEC §1.7, §2.1). A
 * variable or loop item that holds a secret holds its reference (`«secret:db_pw»`,
 * see template/secret.ts); a field whose free variables reach one is deferred with the
 * reason `secret`, so the plan keeps the template and never a value.
 */
import type { SecretSource } from "../model/plan.js";
import { freeVariablesOfExpression, freeVariablesOfTemplate, refName } from "../template/index.js";

const found = new WeakMap<object, readonly string[]>();

/** The secret names inside `v`, deeply (cached per object: scopes are shared by many steps). */
function refsIn(v: unknown): readonly string[] {
  const name = refName(v);
  if (name !== null) return [name];
  if (v === null || typeof v !== "object") return [];
  const cached = found.get(v);
  if (cached !== undefined) return cached;
  const names = new Set<string>();
  for (const x of Array.isArray(v) ? v : Object.values(v)) for (const n of refsIn(x)) names.add(n);
  const out = [...names];
  found.set(v, out);
  return out;
}

/** The secrets that reading the variables `names` reaches, in first-read order. */
export function secretsRead(vars: Record<string, unknown>, names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of names) {
    if (!Object.hasOwn(vars, n)) continue;
    for (const s of refsIn(vars[n])) out.add(s);
  }
  return [...out];
}

/** Secrets read by a bare expression (when, changed_when, failed_when). */
export function secretsOfExpression(vars: Record<string, unknown>, expr: string | null): string[] {
  if (expr === null) return [];
  const fv = freeVariablesOfExpression(expr);
  return fv.ok ? secretsRead(vars, fv.value) : [];
}

/** Secrets read by a template text (a template file's content). */
export function secretsOfTemplate(vars: Record<string, unknown>, text: string | null): string[] {
  if (text === null) return [];
  const fv = freeVariablesOfTemplate(text);
  return fv.ok ? secretsRead(vars, fv.value) : [];
}

/** `{{ name }}` and nothing else: a variable or loop item that names a secret. */
export function aliasOf(text: string): string | null {
  return /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(text)?.[1] ?? null;
}

/** The root scope's bindings of the secrets: each name holds its reference. */
export function secretBindings(
  secrets: Record<string, SecretSource>,
  ref: (name: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(secrets)) out[name] = ref(name);
  return out;
}
