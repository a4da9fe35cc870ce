/** src/inventory: Ansible's YAML and INI inventories, group_vars/host_vars, host patterns. */
export { asBoolean, type ConnectionProblem, connectionFromVars, isTemplate } from "./connection.js";
export { emptyInventory, findHost, type MagicVars, magicVars } from "./hosts.js";
export { diskFs, loadInventory } from "./load.js";
export { groupMembers } from "./members.js";
export { parseInventory } from "./parse.js";
export { LOCALHOST_NAMES, type Selection, selectHosts, splitPattern } from "./pattern.js";
export type {
  Connection,
  HostKeyChecking,
  Inventory,
  InventoryFs,
  InventoryGroup,
  InventoryHost,
} from "./types.js";
