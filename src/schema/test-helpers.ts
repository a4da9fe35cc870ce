/** Test helpers: parse YAML text and validate it, failing loudly on YAML errors. */
import { type LoadedDoc, parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/index.js";
import type { Playbook } from "./types.js";
import { validatePlaybook } from "./validate.js";

export function loadDoc(text: string, path = "site.yml"): LoadedDoc {
  const r = parseYaml({ path, text });
  if (!r.ok) throw new Error(`YAML error: ${JSON.stringify(r.error)}`);
  return r.value;
}

export function playbook(text: string): Playbook {
  const r = validatePlaybook(loadDoc(text));
  if (!r.ok) throw new Error(`unexpected diagnostics: ${JSON.stringify(r.error, null, 2)}`);
  return r.value;
}

export function problems(text: string): Diagnostic[] {
  const r = validatePlaybook(loadDoc(text));
  if (r.ok) throw new Error("expected diagnostics, got none");
  return r.error;
}
