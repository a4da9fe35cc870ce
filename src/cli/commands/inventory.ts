/**
 * `cairn inventory -i FILE [--graph [GROUP] | --host H | --list] [--limit PATTERN] [--json]`:
 * what cairn understood of an inventory. `--graph` draws groups and hosts as
 * `ansible-inventory --graph` does, `--host` shows a host's merged vars and its
 * connection, `--list` prints `ansible-inventory --list`'s JSON (`_meta.hostvars`).
 */
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { findHost, type Inventory, loadInventory, selectHosts } from "../../inventory/index.js";
import type { Diagnostic } from "../../model/diagnostic.js";
import { EXIT, reportDiagnostics } from "../exit.js";
import { sourceReader } from "../sources.js";

export interface InventoryFlags {
  inventory: string[];
  graph?: boolean | string;
  host?: string;
  list?: boolean;
  limit?: string;
  json?: boolean;
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
};

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `ansible-inventory --graph`: children then hosts, each sorted by name. */
function graph(inv: Inventory, group: string, shown: Set<string>, depth = 0): string[] {
  const line = (text: string, d: number) => (d === 0 ? text : `${"  |".repeat(d)}--${text}`);
  const g = inv.groups.get(group);
  const out = [line(`@${group}:`, depth)];
  for (const child of [...(g?.children ?? [])].sort(byName))
    out.push(...graph(inv, child, shown, depth + 1));
  for (const host of [...(g?.hosts ?? [])].sort(byName))
    if (shown.has(host)) out.push(line(host, depth + 1));
  return out;
}

/** `ansible-inventory --list`: groups with direct hosts and children, empty ones left out. */
function list(inv: Inventory, shown: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (Object.hasOwn(out, name)) return;
    const g = inv.groups.get(name);
    const entry: Record<string, string[]> = {};
    const hosts = (g?.hosts ?? []).filter((h) => shown.has(h));
    if (name !== "all" && hosts.length > 0) entry.hosts = hosts;
    if ((g?.children.length ?? 0) > 0) entry.children = [...(g?.children ?? [])];
    out[name] = entry;
    for (const c of g?.children ?? []) visit(c);
    if (Object.keys(entry).length === 0) delete out[name];
  };
  visit("all");
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts)
    if (shown.has(h.name) && Object.keys(h.vars).length > 0) hostvars[h.name] = h.vars;
  return { _meta: { hostvars }, ...out };
}

export async function inventoryCommand(flags: InventoryFlags): Promise<number> {
  const actions = [flags.graph !== undefined, flags.host !== undefined, flags.list === true];
  if (actions.filter(Boolean).length > 1) {
    process.stderr.write("error: give one of --graph, --host and --list\n");
    return EXIT.invalid;
  }
  if (flags.inventory.length === 0) {
    process.stderr.write("error: cairn inventory needs an inventory: -i FILE\n");
    return EXIT.invalid;
  }
  const sources = sourceReader(process.cwd());
  const { inventory, diagnostics } = loadInventory(flags.inventory);
  const problems: Diagnostic[] = [...diagnostics];
  let shown = new Set(inventory?.hosts.map((h) => h.name));
  if (inventory !== null && flags.limit !== undefined) {
    const selected = selectHosts(inventory, flags.limit, readText);
    problems.push(...selected.diagnostics);
    shown = new Set(selected.hosts);
  }
  const failed = inventory === null || problems.some((d) => d.severity === "error");
  if (problems.length > 0) await reportDiagnostics(problems, sources);
  if (failed) return EXIT.invalid;

  if (flags.host !== undefined) {
    const host = findHost(inventory, flags.host);
    if (host === null) {
      process.stderr.write(`error: host '${flags.host}' is not in the inventory\n`);
      return EXIT.invalid;
    }
    const shape = { vars: host.vars, groups: host.groups, connection: host.connection };
    process.stdout.write(
      flags.json === true ? `${JSON.stringify(shape, null, 2)}\n` : stringify(shape),
    );
  } else if (flags.list === true) {
    process.stdout.write(`${JSON.stringify(list(inventory, shown), null, 4)}\n`);
  } else {
    const top = typeof flags.graph === "string" ? flags.graph : "all";
    if (!inventory.groups.has(top)) {
      process.stderr.write(`error: --graph takes a group name; there is no group '${top}'\n`);
      return EXIT.invalid;
    }
    process.stdout.write(`${graph(inventory, top, shown).join("\n")}\n`);
  }
  return EXIT.ok;
}
