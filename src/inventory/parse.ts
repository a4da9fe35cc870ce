/**
 * `parseInventory`: inventory paths (`-i`, in order) → one Inventory, reading through an
 * InventoryFs so it runs without a disk in tests. The format follows the extension
 * (`.yml`/`.yaml`/`.json` YAML, `.ini` INI); a file without one is YAML when it reads
 * as a YAML mapping or starts like YAML, else INI (Ansible tries its YAML plugin, then
 * its INI plugin). A directory is read as Ansible reads one: each file in sorted order,
 * skipping hidden ones, group_vars/, host_vars/ and Ansible's ignored extensions.
 */
import { dirname, join } from "node:path";
import { parseYaml } from "../load/index.js";
import type { Diagnostic } from "../model/index.js";
import { InventoryBuilder } from "./builder.js";
import { parseIni } from "./ini.js";
import { buildInventory } from "./merge.js";
import type { Inventory, InventoryFs } from "./types.js";
import { readVarsFile, varsFilesFor } from "./vars-files.js";
import { parseYamlInventory } from "./yaml.js";

/** Ansible's INVENTORY_IGNORE_EXTS and always-ignored names, for directory inventories. */
const IGNORED =
  /^\.|^(host_vars|group_vars|vars_plugins)$|(\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;

/** The first line that is not blank or a comment looks like YAML (`---`, `key:`, `- `). */
function looksLikeYaml(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "" && !/^\s*[#;]/.test(l)) ?? "";
  return /^(---|\S[^=[\]]*:(\s|$)|- )/.test(first.trim()) && !first.trim().startsWith("[");
}

function parseFile(path: string, text: string, b: InventoryBuilder): void {
  b.files.push(path);
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  const isYaml = ["yml", "yaml", "json"].includes(ext);
  if (isYaml || (ext !== "ini" && looksLikeYaml(text))) {
    const doc = parseYaml({ path, text });
    if (!doc.ok) {
      b.diagnostics.push(...doc.error);
      return;
    }
    b.diagnostics.push(...doc.value.warnings);
    parseYamlInventory(doc.value, b);
    return;
  }
  parseIni(path, text, b);
}

function parseSource(path: string, fs: InventoryFs, b: InventoryBuilder): boolean {
  const text = fs.readFile(path);
  if (text !== null) {
    parseFile(path, text, b);
    return true;
  }
  const entries = fs.listDir(path);
  if (entries === null) return false;
  const names = entries.map((e) => e.name).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const name of names) if (!IGNORED.test(name)) parseSource(join(path, name), fs, b);
  return true;
}

export function parseInventory(
  paths: readonly string[],
  fs: InventoryFs,
): { inventory: Inventory | null; diagnostics: Diagnostic[] } {
  const b = new InventoryBuilder();
  const baseDirs: string[] = [];
  for (const path of paths) {
    if (!parseSource(path, fs, b)) {
      b.diagnostics.push({
        severity: "error",
        code: "missing-file",
        message: `inventory '${path}' not found`,
      });
      continue;
    }
    const base = fs.listDir(path) === null ? dirname(path) : path;
    if (!baseDirs.includes(base)) baseDirs.push(base);
  }
  for (const base of baseDirs) {
    for (const g of b.groups.values()) {
      for (const f of varsFilesFor(fs, join(base, "group_vars"), g.name))
        readVarsFile(fs, f, g.fileVars, b);
    }
    for (const h of b.hosts.values()) {
      for (const f of varsFilesFor(fs, join(base, "host_vars"), h.name))
        readVarsFile(fs, f, h.fileVars, b);
    }
  }
  const { inventory, diagnostics } = buildInventory(b);
  const failed = diagnostics.some((d) => d.severity === "error");
  return { inventory: failed ? null : inventory, diagnostics: inFileOrder(diagnostics, b.files) };
}

/** Problems file by file (as read), top to bottom; those without a place first. */
function inFileOrder(diagnostics: Diagnostic[], files: string[]): Diagnostic[] {
  const key = (d: Diagnostic): [number, number, number] =>
    d.pos ? [files.indexOf(d.pos.file), d.pos.line, d.pos.column] : [-1, 0, 0];
  return [...diagnostics].sort((x, y) => {
    const [a, b] = [key(x), key(y)];
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  });
}
