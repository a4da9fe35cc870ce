/**
 * Every group's hosts, its children's included, in inventory order: what a group
 * pattern selects and what Ansible's `groups` magic variable holds. Computed once per
 * inventory (an Inventory is not changed after it is built).
 */
import type { Inventory } from "./types.js";

const cache = new WeakMap<Inventory, Map<string, string[]>>();

export function groupMembers(inv: Inventory): Map<string, string[]> {
  const known = cache.get(inv);
  if (known) return known;
  const sets = new Map<string, Set<string>>();
  const collect = (name: string, path: Set<string>): Set<string> => {
    const done = sets.get(name);
    if (done) return done;
    const out = new Set<string>();
    const group = inv.groups.get(name);
    if (group && !path.has(name)) {
      path.add(name);
      for (const h of group.hosts) out.add(h);
      for (const c of group.children) for (const h of collect(c, path)) out.add(h);
      path.delete(name);
    }
    sets.set(name, out);
    return out;
  };
  const result = new Map<string, string[]>();
  for (const name of inv.groups.keys()) {
    const set = name === "all" ? new Set(inv.hosts.map((h) => h.name)) : collect(name, new Set());
    result.set(
      name,
      inv.hosts.filter((h) => set.has(h.name)).map((h) => h.name),
    );
  }
  cache.set(inv, result);
  return result;
}
