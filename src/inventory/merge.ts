/**
 * The builder → the Inventory: groups without a parent become children of `all`, hosts
 * in no group join `ungrouped`, a group that is its own (grand)child is an error naming
 * the chain, and each host's variables merge in Ansible's order (its default
 * VARIABLE_PRECEDENCE; lowest first, a later value replaces an earlier one):
 *
 *   1. `all`'s vars from the inventory files
 *   2. the other groups' vars from the inventory files, by (depth, ansible_group_priority, name)
 *   3. group_vars/all beside each inventory
 *   4. group_vars/<group> beside each inventory, same group order as 2
 *   5. the host's vars from the inventory files
 *   6. host_vars/<host> beside each inventory
 *
 * Depth is the longest path from `all` (parents before children); a higher
 * `ansible_group_priority` (default 1, set in the inventory file only, as in Ansible)
 * merges later among groups of one depth.
 */
import type { Diagnostic, SourcePos } from "../model/index.js";
import type { InventoryBuilder, RawGroup, VarDefs } from "./builder.js";
import { connectionFromVars } from "./connection.js";
import type { Inventory, InventoryGroup, InventoryHost } from "./types.js";

/** Removes (and reports) child edges that close a cycle, so the graph below is a DAG. */
function breakCycles(b: InventoryBuilder): void {
  const done = new Set<string>();
  const visit = (group: RawGroup, stack: string[]) => {
    if (done.has(group.name)) return;
    stack.push(group.name);
    for (const child of [...group.children]) {
      const at = stack.indexOf(child.name);
      if (at !== -1) {
        const chain = [...stack.slice(at), child.name].join(" -> ");
        b.diagnostics.push({
          severity: "error",
          code: "inventory-cycle",
          message: `group '${child.name}' is its own child: ${chain}`,
          ...(child.pos ? { pos: child.pos } : {}),
        });
        group.children = group.children.filter((c) => c !== child);
        continue;
      }
      const next = b.groups.get(child.name);
      if (next) visit(next, stack);
    }
    stack.pop();
    done.add(group.name);
  };
  for (const group of b.groups.values()) visit(group, []);
}

function reconcile(b: InventoryBuilder): void {
  breakCycles(b);
  const parented = new Set(["all"]);
  for (const g of b.groups.values()) for (const c of g.children) parented.add(c.name);
  const all = b.group("all", null);
  for (const g of b.groups.values()) {
    if (!parented.has(g.name)) all.children.push({ name: g.name, pos: g.origin });
  }
  const grouped = new Set<string>();
  for (const g of b.groups.values()) {
    if (g.name === "all" || g.name === "ungrouped") continue;
    for (const h of g.hosts) grouped.add(h);
  }
  const ungrouped = b.group("ungrouped", null);
  ungrouped.hosts = [...b.hosts.keys()].filter((h) => !grouped.has(h));
}

/** Longest path from `all` for every group reachable from it. */
function depths(b: InventoryBuilder): Map<string, number> {
  const depth = new Map<string, number>([["all", 0]]);
  const order: string[] = [];
  const seen = new Set<string>();
  // Reverse post-order of a DAG is a topological order: parents come before children.
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const c of b.groups.get(name)?.children ?? []) visit(c.name);
    order.push(name);
  };
  visit("all");
  for (const name of order.reverse()) {
    const d = depth.get(name) ?? 0;
    for (const c of b.groups.get(name)?.children ?? []) {
      depth.set(c.name, Math.max(depth.get(c.name) ?? 0, d + 1));
    }
  }
  return depth;
}

function priority(g: RawGroup): number {
  const n = Number(g.vars.get("ansible_group_priority")?.value ?? 1);
  return Number.isFinite(n) ? Math.trunc(n) : 1;
}

/** Each group's ancestors, itself included. */
function ancestry(b: InventoryBuilder): Map<string, Set<string>> {
  const parents = new Map<string, string[]>();
  for (const g of b.groups.values()) {
    for (const c of g.children) parents.set(c.name, [...(parents.get(c.name) ?? []), g.name]);
  }
  const memo = new Map<string, Set<string>>();
  const up = (name: string): Set<string> => {
    const known = memo.get(name);
    if (known) return known;
    const set = new Set([name]);
    memo.set(name, set);
    for (const p of parents.get(name) ?? []) for (const a of up(p)) set.add(a);
    return set;
  };
  for (const name of b.groups.keys()) up(name);
  return memo;
}

type Origins = Map<string, SourcePos>;

function apply(vars: Record<string, unknown>, origins: Origins, defs: VarDefs): void {
  for (const [k, d] of defs) {
    vars[k] = d.value;
    origins.set(k, d.pos);
  }
}

export function buildInventory(b: InventoryBuilder): {
  inventory: Inventory;
  diagnostics: Diagnostic[];
} {
  reconcile(b);
  const depth = depths(b);
  const up = ancestry(b);
  const rank = (name: string): [number, number, string] => {
    const g = b.groups.get(name);
    return [depth.get(name) ?? 1, g ? priority(g) : 1, name];
  };
  const byRank = (x: string, y: string) => {
    const [a, c] = [rank(x), rank(y)];
    return a[0] - c[0] || a[1] - c[1] || (a[2] < c[2] ? -1 : a[2] > c[2] ? 1 : 0);
  };

  const direct = new Map<string, string[]>();
  for (const g of b.groups.values()) {
    for (const h of g.hosts) direct.set(h, [...(direct.get(h) ?? []), g.name]);
  }

  const diagnostics = [...b.diagnostics];
  const reported = new Set<string>();
  const hosts: InventoryHost[] = [];
  for (const raw of b.hosts.values()) {
    const groups = new Set<string>(["all"]);
    for (const g of direct.get(raw.name) ?? []) for (const a of up.get(g) ?? []) groups.add(a);
    const sorted = [...groups].filter((g) => g !== "all").sort(byRank);
    const vars: Record<string, unknown> = {};
    const origins: Origins = new Map();
    const all = b.group("all", null);
    apply(vars, origins, all.vars);
    for (const g of sorted) apply(vars, origins, b.groups.get(g)?.vars ?? new Map());
    apply(vars, origins, all.fileVars);
    for (const g of sorted) apply(vars, origins, b.groups.get(g)?.fileVars ?? new Map());
    apply(vars, origins, raw.vars);
    apply(vars, origins, raw.fileVars);
    const { connection, problems } = connectionFromVars(raw.name, vars);
    for (const p of problems) {
      const pos = origins.get(p.key) ?? raw.origin;
      // A group variable is judged once per place, not once per host.
      const key = `${p.message}@${pos.file}:${pos.line}:${pos.column}`;
      if (reported.has(key)) continue;
      reported.add(key);
      diagnostics.push({
        severity: p.severity,
        code: "inventory-connection",
        message: `host '${raw.name}': ${p.message}`,
        pos,
        ...(p.hint ? { hint: p.hint } : {}),
      });
    }
    hosts.push({
      name: raw.name,
      groups: ["all", ...sorted],
      vars,
      connection,
      origin: raw.origin,
    });
  }

  const groups = new Map<string, InventoryGroup>();
  for (const g of b.groups.values()) {
    const vars: Record<string, unknown> = {};
    apply(vars, new Map(), g.vars);
    apply(vars, new Map(), g.fileVars);
    groups.set(g.name, {
      name: g.name,
      hosts: g.name === "all" ? [] : [...g.hosts],
      children: g.children.map((c) => c.name),
      vars,
      origin: g.origin,
    });
  }
  return { inventory: { hosts, groups, files: [...b.files] }, diagnostics };
}
