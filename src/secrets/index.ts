/**
 * Secrets at run time (SPEC §1.7): the run's vault, the boundary redaction of events
 * and journal records, and the masking of step output.
 */
import type { Plan } from "../model/plan.js";
import { Vault } from "./vault.js";

export { eventRedactor, HIDDEN_RESULT, maskedJournal } from "./boundary.js";
export { Masker } from "./masker.js";
export { maskedOutput } from "./output.js";
export { SecretError } from "./sources.js";
export { StreamMasker } from "./stream-mask.js";
export { Vault } from "./vault.js";

/** The run's vault, or null when the plan names no secret (then nothing is masked or redacted). */
export function runVault(
  plan: Plan,
  env: Record<string, string | undefined>,
  rootDir: string,
): Vault | null {
  if (plan.secrets === undefined || Object.keys(plan.secrets).length === 0) {
    return plan.steps.some((s) => s.sensitive === true) ? new Vault({}, { env, rootDir }) : null;
  }
  return new Vault(plan.secrets, { env, rootDir });
}
