/**
 * The plan's secret sources (SPEC §1.7), gathered from `--secrets-file`, then
 * `secret_env`, then the playbook's `secrets:` (the playbook wins a name clash, as it
 * is the nearer definition). Only references: the values are read at run time.
 */
import type { SecretSource } from "../model/plan.js";
import type { Playbook } from "../schema/index.js";

/** Where --secrets-file's entries are normalized (src/schema decides what a source means). */
export { normalizeSource } from "../schema/index.js";

/** The sources in name order (the plan is byte-for-byte deterministic). */
export function collectSecrets(
  playbook: Pick<Playbook, "secret_env" | "secrets">,
  fromCli: Record<string, SecretSource> | undefined,
): Record<string, SecretSource> {
  const all: Record<string, SecretSource> = { ...fromCli };
  for (const name of playbook.secret_env) all[name] = { env: name };
  Object.assign(all, playbook.secrets);
  const sorted: Record<string, SecretSource> = {};
  for (const name of Object.keys(all).sort()) sorted[name] = all[name]!;
  return sorted;
}
