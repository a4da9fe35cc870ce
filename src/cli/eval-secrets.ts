/**
 * Secrets for `cairn eval` (SPEC §1.7): the names of `--secrets-file` (and the
 * `!secret` references of `--vars-file`) are variables; those the expression reads
 * are read now, and the value printed is redacted unless `--reveal` asks for it.
 */
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";
import { secretsRead } from "../plan/secret-reads.js";
import { SecretError, Vault } from "../secrets/index.js";
import { freeVariablesOfExpression, secretRef } from "../template/index.js";
import { readSecretsFiles } from "./secrets-file.js";

export interface EvalSecrets {
  /** The variables, with the secrets the expression reads as taint-marked values. */
  scope: Record<string, unknown>;
  /** Masks every secret read in a text. */
  mask(text: string): string;
}

export async function evalSecrets(
  expression: string,
  files: readonly string[],
  vars: Record<string, unknown>,
): Promise<Result<EvalSecrets, Diagnostic[]>> {
  const cwd = process.cwd();
  const sources = readSecretsFiles(files, cwd);
  if (!sources.ok) return sources;
  const scope: Record<string, unknown> = {};
  for (const name of Object.keys(sources.value)) scope[name] = secretRef(name);
  Object.assign(scope, vars);
  const vault = new Vault(sources.value, { env: process.env, rootDir: cwd });
  const fv = freeVariablesOfExpression(expression);
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  try {
    await vault.resolve(fv.ok ? secretsRead(scope, fv.value) : [], warn);
  } catch (e) {
    if (!(e instanceof SecretError)) throw e;
    return { ok: false, error: [{ severity: "error", code: "secret", message: e.message }] };
  }
  return {
    ok: true,
    value: { scope: vault.reveal(scope), mask: (text) => vault.masker.mask(text) },
  };
}
