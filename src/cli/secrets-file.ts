/**
 * `--secrets-file F` (SPEC §1.7): a YAML mapping of named secret sources, the same
 * shape as a playbook's `secrets:`. Paths inside it are relative to the file, and are
 * handed to the planner relative to the playbook's directory. Errors are located.
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { SecretSource } from "../model/plan.js";
import type { Result } from "../model/result.js";
import { readInput } from "./read-input.js";
import { normalizeSource } from "../plan/secret-sources.js";
import { safeParse, secretsMap } from "../schema/index.js";

export function readSecretsFiles(
  files: readonly string[],
  rootDir: string,
): Result<Record<string, SecretSource>, Diagnostic[]> {
  const out: Record<string, SecretSource> = {};
  const errors: Diagnostic[] = [];
  for (const file of files) {
    const text = readInput(file, "secrets file");
    if (typeof text !== "string") {
      errors.push(text);
      continue;
    }
    const doc = parseYaml({ path: file, text });
    if (!doc.ok) {
      errors.push(...doc.error);
      continue;
    }
    const checked = safeParse(secretsMap(), doc.value.value ?? {});
    if (!checked.success) {
      for (const issue of checked.error.issues)
        errors.push({
          severity: "error",
          code: "type",
          message: `secrets file: ${issue.path.length > 0 ? `'${issue.path.join(".")}': ` : ""}${issue.message}`,
          pos: doc.value.locate(issue.path.filter((p) => typeof p !== "symbol")),
          hint: "each entry is name: {env: NAME} | {file: PATH} | {cmd: [argv...]} | {sops: FILE} | {age: FILE, identity: FILE}",
        });
      continue;
    }
    for (const [name, raw] of Object.entries(checked.data)) {
      const source = normalizeSource(raw);
      if (source !== null) out[name] = rebase(source, dirname(resolve(file)), rootDir);
    }
  }
  return errors.length > 0 ? { ok: false, error: errors } : { ok: true, value: out };
}

/** The source with its paths relative to the playbook's directory instead of the file's. */
function rebase(source: SecretSource, from: string, to: string): SecretSource {
  const move = (p: string) => (isAbsolute(p) ? p : relative(to, resolve(from, p)) || ".");
  if ("file" in source) return { file: move(source.file) };
  if ("sops" in source) return { sops: move(source.sops) };
  if ("age" in source) return { age: move(source.age), identity: move(source.identity) };
  return source;
}
