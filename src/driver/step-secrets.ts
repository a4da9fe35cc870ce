/**
 * The secrets of one attempt (SPEC §1.7): read only when the step runs, and the
 * secret a content argument reads, for the diff that must not show it.
 */
import type { PlanStep } from "../model/plan.js";
import { SecretError, type Vault } from "../secrets/index.js";
import type { AttemptOutcome } from "./attempt.js";

export /** Reads the secrets the step uses (SPEC §1.7: only now, when it runs); a failed read fails the step. */
async function readSecrets(
  step: PlanStep,
  vault: Vault,
  warn: (message: string) => void,
): Promise<AttemptOutcome | null> {
  if (step.secrets === undefined) return null;
  try {
    await vault.resolve(step.secrets, warn);
    return null;
  } catch (e) {
    if (!(e instanceof SecretError)) throw e;
    return { kind: "failed", reason: "error", message: e.message, result: null };
  }
}

/** The secret a content argument reads (`copy: {content: "{{ pw }}"}`), if any. */
export function secretArg(step: PlanStep): string | null {
  for (const [key, d] of Object.entries(step.deferred))
    if (d.reason === "secret" && key.startsWith("args.content")) return d.secrets?.[0] ?? null;
  return null;
}
