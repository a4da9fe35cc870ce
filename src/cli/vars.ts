/**
 * Command-line variables: `--vars-file F` (YAML or JSON, merged in order) and then
 * `--var k=v` (highest of the two). A `--var` value is read as a YAML scalar, so
 * `--var port=80` is the number 80 and `--var debug=false` the boolean false (a
 * deliberate difference from Ansible's `-e k=v`, which gives strings: a `when: debug`
 * must not be true for "false"). Quote to keep a string: `--var 'v="80"'`.
 *
 * A `.json` file is read with JSON.parse (a thousand times faster than the YAML reader
 * on a large list); what JSON.parse rejects, or a repeated key, goes through the YAML
 * reader as before, so every file gives the same value or the same located error.
 */
import { parse } from "yaml";
import { checkYamlLimits } from "../load/index.js";
import { secretTag } from "../load/secret-tag.js";
import { readInput } from "./read-input.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";

export function collectVars(
  varsFiles: readonly string[],
  pairs: readonly string[],
): Result<Record<string, unknown>, Diagnostic[]> {
  const vars: Record<string, unknown> = {};
  const errors: Diagnostic[] = [];
  for (const file of varsFiles) {
    const text = readInput(file, "vars file");
    if (typeof text !== "string") {
      errors.push(text);
      continue;
    }
    const limit = checkYamlLimits({ path: file, text });
    if (limit !== null) {
      errors.push(limit);
      continue;
    }
    try {
      const value = readVarsText(file, text);
      if (value === null || value === undefined) continue;
      if (typeof value !== "object" || Array.isArray(value)) {
        errors.push({
          severity: "error",
          code: "type",
          message: `vars file '${file}' must hold a mapping of variables`,
        });
        continue;
      }
      Object.assign(vars, value);
    } catch (e) {
      const line = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      const d: Diagnostic = {
        severity: "error",
        code: "yaml",
        message: `vars file: ${(e as Error).message.split("\n")[0]}`,
      };
      if (line !== undefined) d.pos = { file, line: line.line, column: line.col };
      errors.push(d);
    }
  }
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      errors.push({
        severity: "error",
        code: "usage",
        message: `--var expects key=value, got '${pair}'`,
      });
      continue;
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = raw === "" ? "" : parse(raw);
    } catch {
      value = raw;
    }
    vars[pair.slice(0, eq)] = value;
  }
  return errors.length > 0 ? { ok: false, error: errors } : { ok: true, value: vars };
}

function readVarsText(file: string, text: string): unknown {
  if (file.toLowerCase().endsWith(".json")) {
    try {
      const value: unknown = JSON.parse(text);
      if (!hasDuplicateKey(text)) return value;
    } catch {
      // Not strict JSON: the YAML reader accepts it (JSON is YAML) or locates the error.
    }
  }
  return parse(text, { customTags: [secretTag] });
}

/**
 * Whether an object in valid JSON `text` repeats a key: JSON.parse keeps the last one
 * silently, the YAML reader reports it at its line, as cairn always did.
 */
export function hasDuplicateKey(text: string): boolean {
  // Strings and punctuation; numbers, true/false/null and spaces are skipped.
  const tokens = /"(?:[^"\\]|\\.)*"|[{}[\],:]/g;
  const objects: (Set<string> | null)[] = []; // one entry per open bracket; null: array
  let expectKey = false;
  for (const [t] of text.matchAll(tokens)) {
    const keys = objects.at(-1);
    if (t === "{" || t === "[") {
      objects.push(t === "{" ? new Set() : null);
      expectKey = t === "{";
    } else if (t === "}" || t === "]") objects.pop();
    else if (t === ",") expectKey = keys != null;
    else if (t === ":") expectKey = false;
    else if (expectKey && keys) {
      const key = t.includes("\\") ? (JSON.parse(t) as string) : t.slice(1, -1);
      if (keys.has(key)) return true;
      keys.add(key);
    }
  }
  return false;
}
