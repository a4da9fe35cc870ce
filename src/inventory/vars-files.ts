/**
 * group_vars/ and host_vars/ beside an inventory, found as Ansible's `host_group_vars`
 * plugin finds them: for a name N the first of `N` (a file, or a directory whose files
 * are read in sorted order, recursively), `N.yml`, `N.yaml`, `N.json`. In a directory,
 * hidden files, backups (`~`) and other extensions are skipped.
 */
import { join } from "node:path";
import { parseYaml } from "../load/index.js";
import type { VarDefs } from "./builder.js";
import type { InventoryBuilder } from "./builder.js";
import type { InventoryFs } from "./types.js";

const EXTENSIONS = ["", ".yml", ".yaml", ".json"];

const extension = (name: string): string => /(\.[^.]*)$/.exec(name)?.[1] ?? "";

function dirFiles(fs: InventoryFs, dir: string): string[] {
  const found: string[] = [];
  const entries = (fs.listDir(dir) ?? []).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name.endsWith("~")) continue;
    const ext = extension(e.name);
    if (e.dir && ext === "") found.push(...dirFiles(fs, join(dir, e.name)));
    else if (!e.dir && EXTENSIONS.includes(ext)) found.push(join(dir, e.name));
  }
  return found;
}

/** The files holding the vars of `name` in `dir`, in merge order. */
export function varsFilesFor(fs: InventoryFs, dir: string, name: string): string[] {
  const entries = fs.listDir(dir);
  if (entries === null) return [];
  for (const ext of EXTENSIONS) {
    const entry = entries.find((e) => e.name === name + ext);
    if (entry === undefined) continue;
    return entry.dir ? dirFiles(fs, join(dir, entry.name)) : [join(dir, entry.name)];
  }
  return [];
}

/** Reads one vars file into `into` (later keys replace earlier ones). */
export function readVarsFile(
  fs: InventoryFs,
  path: string,
  into: VarDefs,
  b: InventoryBuilder,
): void {
  const text = fs.readFile(path);
  if (text === null) return;
  b.files.push(path);
  const doc = parseYaml({ path, text });
  if (!doc.ok) {
    b.diagnostics.push(...doc.error);
    return;
  }
  b.diagnostics.push(...doc.value.warnings);
  const value = doc.value.value;
  if (value === null || value === undefined) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    b.error(
      "inventory-vars-file",
      "a vars file must hold a mapping of variables",
      doc.value.locate([]),
    );
    return;
  }
  for (const [k, v] of Object.entries(value)) into.set(k, { value: v, pos: doc.value.locate([k]) });
}
