/**
 * Looking hosts up: a defined host, or Ansible's implicit local host (`localhost`,
 * `127.0.0.1`, `::1` when the inventory does not define them: connection local, the
 * `all` group's vars, in no group, and not matched by `all`); Ansible's magic variables
 * of a host; the inventory used when no `-i` is given.
 */
import { connectionFromVars } from "./connection.js";
import { groupMembers } from "./members.js";
import { LOCALHOST_NAMES } from "./pattern.js";
import type { Inventory, InventoryHost } from "./types.js";

export function emptyInventory(): Inventory {
  const groups: Inventory["groups"] = new Map();
  groups.set("all", { name: "all", hosts: [], children: ["ungrouped"], vars: {}, origin: null });
  groups.set("ungrouped", { name: "ungrouped", hosts: [], children: [], vars: {}, origin: null });
  return { hosts: [], groups, files: [] };
}

/** The host of that name, the implicit local host for a local name, else null. */
export function findHost(inv: Inventory, name: string): InventoryHost | null {
  const host = inv.hosts.find((h) => h.name === name);
  if (host !== undefined) return host;
  if (!LOCALHOST_NAMES.includes(name)) return null;
  const vars = { ...inv.groups.get("all")?.vars, ansible_connection: "local" };
  const { connection } = connectionFromVars(name, vars);
  return {
    name,
    groups: [],
    vars,
    connection: { ...connection, kind: "local" },
    origin: { file: "<implicit localhost>", line: 1, column: 1 },
  };
}

const IP = /^(\d{1,3}\.){3}\d{1,3}$|:/;

export interface MagicVars {
  inventory_hostname: string;
  inventory_hostname_short: string;
  /** The host's groups without `all`, sorted (an ungrouped host has ['ungrouped'], as in Ansible). */
  group_names: string[];
  /** Every group → its hosts, its children's included, in inventory order. */
  groups: Record<string, string[]>;
  /** Every host → its inventory vars and its own three magic variables above. */
  hostvars: Record<string, Record<string, unknown>>;
}

const ownMagic = (h: InventoryHost) => ({
  inventory_hostname: h.name,
  inventory_hostname_short: IP.test(h.name) ? h.name : (h.name.split(".")[0] ?? h.name),
  group_names: h.groups.filter((g) => g !== "all").sort(),
});

const shared = new WeakMap<Inventory, Pick<MagicVars, "groups" | "hostvars">>();

/** Ansible's magic variables for one host (the groups and hostvars objects are shared). */
export function magicVars(inv: Inventory, host: string): MagicVars {
  let common = shared.get(inv);
  if (common === undefined) {
    const hostvars: Record<string, Record<string, unknown>> = {};
    for (const h of inv.hosts) hostvars[h.name] = { ...h.vars, ...ownMagic(h) };
    common = { groups: Object.fromEntries(groupMembers(inv)), hostvars };
    shared.set(inv, common);
  }
  const h = findHost(inv, host);
  if (h === null) throw new Error(`magicVars: no host '${host}' in the inventory`);
  return { ...ownMagic(h), ...common };
}
