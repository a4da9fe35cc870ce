/**
 * Planning a playbook for its hosts (SPEC §1.6): `loadFleetPlaybook` plans for `local`
 * exactly as loadPlaybook does when the playbook names no hosts and no inventory and
 * no `-i`/`--limit` is given — without loading any of the inventory or SSH code — and
 * otherwise hands over to fleet-hosts.ts.
 */
import { readFileSync } from "node:fs";
import type { InventoryHost } from "../inventory/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";
import type { Transport } from "../transports/transport.js";
import { type LoadedPlaybook, type LoadOptions, loadPlaybook } from "./load-playbook.js";

export interface FleetLoadOptions extends LoadOptions {
  /** `-i` files, relative to the current directory. */
  inventories?: string[];
  /** `--limit` pattern. */
  limit?: string;
  /** The transport of a remote host, made once per host and reused by the run. */
  connect(host: InventoryHost): Transport;
  /** Bound on gathering one host's facts. @default 10000 */
  factTimeoutMs?: number;
}

export interface LoadedFleet extends LoadedPlaybook {
  /** The hosts planned for, in inventory order (empty for a local plan). */
  hosts: InventoryHost[];
  /** Hosts left out because their facts could not be gathered, with why. */
  excluded: { host: string; error: string }[];
  /** Transports opened while planning, by host: the run reuses them. */
  remotes: Map<string, Transport>;
}

export async function loadFleetPlaybook(
  playbookPath: string,
  options: FleetLoadOptions,
): Promise<Result<LoadedFleet, Diagnostic[]>> {
  if (
    (options.inventories ?? []).length > 0 ||
    options.limit !== undefined ||
    namesHosts(playbookPath)
  )
    return (await import("./fleet-hosts.js")).planFleet(playbookPath, options);
  const local = loadPlaybook(playbookPath, options);
  if (!local.ok) return local;
  return { ok: true, value: { ...local.value, hosts: [], excluded: [], remotes: new Map() } };
}

/** A top-level `hosts:` or `inventory:` key (a list playbook has neither). */
function namesHosts(path: string): boolean {
  try {
    return /^(hosts|inventory)[ \t]*:/m.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}
