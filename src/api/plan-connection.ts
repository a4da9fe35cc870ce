/** How a plan records reaching an inventory host (PlanFleet.connections). */
import type { InventoryHost } from "../inventory/index.js";
import type { PlanConnection } from "../model/plan.js";

export function planConnection(h: InventoryHost): PlanConnection {
  const c = h.connection;
  return {
    kind: c.kind,
    host: c.host,
    port: c.port,
    user: c.user,
    key_file: c.keyFile,
    host_key_checking: c.hostKeyChecking,
    become: c.become,
    become_user: c.becomeUser,
  };
}
