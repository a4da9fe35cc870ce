/**
 * The presets a user can call (SPEC §1.8), for `cairn presets`: every preset found on
 * the search path (first match of a name wins, as when planning), read and checked.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";
import { type PresetFile, validatePresetFile } from "../schema/index.js";

export interface PresetEntry {
  name: string;
  file: string;
  /** The preset as read, or why it cannot be used. */
  preset: Result<PresetFile, Diagnostic[]>;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function read(name: string, file: string): PresetEntry {
  const doc = parseYaml({ path: file, text: readFileSync(file, "utf8") });
  return { name, file, preset: doc.ok ? validatePresetFile(doc.value) : doc };
}

/** The file a name resolves to in one directory: `NAME/preset.yml`, else `NAME.yml`. */
function fileIn(dir: string, name: string): string | null {
  for (const file of [join(dir, name, "preset.yml"), join(dir, `${name}.yml`)])
    if (isFile(file)) return file;
  return null;
}

/** Every preset on the search path, sorted by name; a name found twice is listed once (the winner). */
export function listPresets(dirs: readonly string[]): PresetEntry[] {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    for (const entry of entries(dir)) {
      const name = entry.endsWith(".yml") ? entry.slice(0, -4) : entry;
      if (found.has(name)) continue;
      const file = fileIn(dir, name);
      if (file !== null) found.set(name, file);
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, file]) => read(name, file));
}

/** The preset a name resolves to, or null when no directory has it. */
export function findPreset(dirs: readonly string[], name: string): PresetEntry | null {
  for (const dir of dirs) {
    const file = fileIn(dir, name);
    if (file !== null) return read(name, file);
  }
  return null;
}
