/**
 * A deferred field rendered when its step runs, as the step and the world see it: the
 * action gets the raw value (a file gets the real bytes, a process the real
 * environment), every string computed from a secret is masked from then on, and the
 * step's name shows the references (`label «secret:db_pw»`) instead.
 */
import { isSecret, redact, reveal } from "../template/index.js";
import type { Vault } from "./vault.js";

export function fieldValue(key: string, value: unknown, vault: Vault | null): unknown {
  const raw = reveal(value);
  if (raw === value || vault === null)
    return key === "name" && typeof value !== "string" ? String(redact(value)) : raw;
  vault.note(isSecret(value) ? value.name : "computed", raw);
  // The name is shown, never used: it is the masked text ("label «secret:db_pw»").
  return key === "name"
    ? vault.masker.mask(typeof raw === "string" ? raw : JSON.stringify(raw))
    : raw;
}

/** What a diff of content computed from secret `name` says instead of its lines. */
export function secretDiff(name: string): string {
  return `content changed («secret:${name}»)`;
}
