/**
 * The `secrets:` map (SPEC §1.7), shared by the playbook's top level and
 * `--secrets-file`: a name per secret, each with exactly one source. Only references
 * live here; values are read when a step that needs them runs.
 */
import * as z from "zod";
import type { SecretSource } from "../model/plan.js";
import { parseDuration } from "./duration.js";
import { once } from "./once.js";
import { duration, expected, str } from "./primitives.js";

const SOURCE_SHAPES =
  "a secret source: {env: NAME}, {file: PATH}, {cmd: [argv...]}, {sops: FILE} or {age: FILE, identity: FILE}";

export const secretSource = once(() =>
  z
    .union([
      z.strictObject({ env: str.describe("Environment variable holding the secret") }),
      z.strictObject({
        file: str.describe("File holding the secret (a trailing newline is dropped)"),
      }),
      z.strictObject({
        cmd: z
          .array(str)
          .min(1)
          .describe("Command printing the secret: argv, no shell, stdin closed"),
        timeout: duration.optional().describe("Bound on the command. @default 30s"),
      }),
      z.strictObject({
        sops: str.describe("SOPS-encrypted YAML or JSON file: every leaf a secret"),
      }),
      z.strictObject({
        age: str.describe("age-encrypted file"),
        identity: str.describe("age identity file (AGE-SECRET-KEY-...)"),
      }),
    ])
    .register(expected, { expected: SOURCE_SHAPES }),
);

/** A secret's name is used as a variable: `{{ db_pw }}`. */
export const secretName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const secretsMap = once(() =>
  z
    .record(z.string().regex(secretName), secretSource())
    .describe("Named secret sources, read only when a step that uses one runs")
    .register(expected, { expected: "a mapping of secret names to sources" }),
);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

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

/** The playbook's `secrets:`, normalized, in the order written. */
export function secretsOf(raw: Record<string, unknown>): Record<string, SecretSource> {
  const out: Record<string, SecretSource> = {};
  for (const [name, value] of Object.entries(raw)) {
    const source = normalizeSource(value);
    if (source !== null) out[name] = source;
  }
  return out;
}
