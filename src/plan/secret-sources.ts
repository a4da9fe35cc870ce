/**
 * The plan's secret sources (SPEC §1.7), gathered from `--secrets-file`, then
 * `secret_env`, then the playbook's `secrets:` (the playbook wins a name clash, as it
 * is the nearer definition). Only references: the values are read at run time.
 */
import type { SecretSource } from "../model/plan.js";
import { parseDuration } from "../schema/index.js";
import { isRecord } from "./util.js";

/** The sources in name order (the plan is byte-for-byte deterministic). */
export function collectSecrets(
  top: Record<string, unknown>,
  fromCli: Record<string, SecretSource> | undefined,
): Record<string, SecretSource> {
  const all: Record<string, SecretSource> = { ...fromCli };
  if (Array.isArray(top.secret_env))
    for (const name of top.secret_env) if (typeof name === "string") all[name] = { env: name };
  if (isRecord(top.secrets))
    for (const [name, raw] of Object.entries(top.secrets)) {
      const source = normalizeSource(raw);
      if (source !== null) all[name] = source;
    }
  const sorted: Record<string, SecretSource> = {};
  for (const name of Object.keys(all).sort()) sorted[name] = all[name]!;
  return sorted;
}

/** A source as checked by the schema, with `timeout` in milliseconds; null when malformed. */
export function normalizeSource(raw: unknown): SecretSource | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.env === "string") return { env: raw.env };
  if (typeof raw.file === "string") return { file: raw.file };
  if (typeof raw.sops === "string") return { sops: raw.sops };
  if (typeof raw.age === "string" && typeof raw.identity === "string")
    return { age: raw.age, identity: raw.identity };
  if (Array.isArray(raw.cmd)) {
    const timeout = raw.timeout === undefined ? null : parseDuration(raw.timeout);
    return { cmd: raw.cmd.map(String), ...(timeout === null ? {} : { timeout_ms: timeout }) };
  }
  return null;
}
