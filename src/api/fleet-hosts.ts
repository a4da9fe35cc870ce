/**
 * The fleet half of loadFleetPlaybook (fleet-playbook.ts), loaded only for a playbook
 * that names hosts or an inventory: read the playbook's `hosts`/`inventory`/`serial`,
 * load the inventories, select the hosts (`hosts:` ∩ `--limit`), gather each remote
 * host's facts through its own transport, lazily (only the facts the plan reads, found
 * by planning again once they are in), and hand everything to the pure `compileFleet`.
 * A host whose facts cannot be gathered is left out of the plan and reported.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { localFacts } from "../facts/index.js";
import { gatherFactsVia } from "../facts/remote.js";
import {
  emptyInventory,
  type Inventory,
  type InventoryHost,
  loadInventory,
  magicVars,
  selectHosts,
} from "../inventory/index.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Result } from "../model/result.js";
import type { FactLookup } from "../plan/index.js";
import { compileFleet, type FleetTarget } from "../plan/fleet.js";
import { loadYaml } from "../plan/steps.js";
import { validatePlaybook } from "../schema/index.js";
import type { Transport } from "../transports/transport.js";
import { cachedView } from "./cached-view.js";
import type { FleetLoadOptions, LoadedFleet } from "./fleet-playbook.js";
import { compileInputs, loadPlaybook } from "./load-playbook.js";
import { planConnection } from "./plan-connection.js";

/** Names of this machine: a play on them alone is a local plan. */
const LOCAL = new Set(["local", "localhost", "127.0.0.1"]);

export async function planFleet(
  playbookPath: string,
  options: FleetLoadOptions,
): Promise<Result<LoadedFleet, Diagnostic[]>> {
  const full = resolve(playbookPath);
  const rootDir = dirname(full);
  const settings = readSettings(full);
  if (!settings.ok) return settings;
  const { hosts: hostsField, inventory: ownInventories, serial, maxFail } = settings.value;
  const files = [
    ...(options.inventories ?? []).map((p) => resolve(p)),
    ...ownInventories.map((p) => resolve(rootDir, p)),
  ];
  const noFleet = { hosts: [], excluded: [], remotes: new Map<string, Transport>() };
  const pattern = hostsField === null ? null : hostsField.join(":");
  if (
    files.length === 0 &&
    (pattern === null || LOCAL.has(pattern)) &&
    options.limit === undefined
  ) {
    const local = loadPlaybook(playbookPath, options);
    return local.ok ? { ok: true, value: { ...local.value, ...noFleet } } : local;
  }
  let inventory: Inventory = emptyInventory();
  if (files.length > 0) {
    const loaded = loadInventory(files);
    for (const d of loaded.diagnostics) if (d.severity === "warning") options.onWarning?.(d);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    if (loaded.inventory === null || errors.length > 0) return { ok: false, error: errors };
    inventory = loaded.inventory;
  }
  const selected = select(inventory, pattern ?? "all", options);
  if (!selected.ok) return selected;
  const chosen = selected.value;
  if (chosen.length === 1 && chosen[0]!.connection.kind === "local" && LOCAL.has(chosen[0]!.name)) {
    const local = loadPlaybook(playbookPath, options);
    return local.ok ? { ok: true, value: { ...local.value, ...noFleet } } : local;
  }
  return planHosts(full, rootDir, chosen, inventory, options, { serial, maxFail });
}

interface Settings {
  hosts: string[] | null;
  inventory: string[];
  serial: number | string | (number | string)[] | null;
  maxFail: number | null;
}

/** The playbook's fleet settings; its errors are the planner's to report, so none here. */
function readSettings(full: string): Result<Settings, Diagnostic[]> {
  const none: Settings = { hosts: null, inventory: [], serial: null, maxFail: null };
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch {
    return { ok: true, value: none };
  }
  const doc = loadYaml(basename(full), text);
  if (!doc.ok) return { ok: true, value: none };
  const checked = validatePlaybook(doc.value);
  if (!checked.ok) return { ok: true, value: none };
  const p = checked.value;
  return {
    ok: true,
    value: {
      hosts: p.hosts,
      inventory: p.inventory,
      serial: p.serial,
      maxFail: p.max_fail_percentage,
    },
  };
}

/** `hosts:` ∩ `--limit`, in inventory order. No host at all is a warning, not an error. */
function select(
  inventory: Inventory,
  pattern: string,
  options: FleetLoadOptions,
): Result<InventoryHost[], Diagnostic[]> {
  const read = (p: string) => {
    try {
      return readFileSync(resolve(p), "utf8");
    } catch {
      return null;
    }
  };
  const picked = selectHosts(inventory, pattern, read);
  const limited = options.limit === undefined ? null : selectHosts(inventory, options.limit, read);
  const diagnostics = [...picked.diagnostics, ...(limited?.diagnostics ?? [])];
  for (const d of diagnostics) if (d.severity === "warning") options.onWarning?.(d);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { ok: false, error: errors };
  const allowed = limited === null ? null : new Set(limited.hosts);
  const names = picked.hosts.filter((h) => allowed === null || allowed.has(h));
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  const hosts = names.map(
    (n) =>
      byName.get(n) ?? {
        name: n,
        groups: [],
        vars: {},
        connection: {
          kind: "local" as const,
          host: n,
          port: 22,
          user: null,
          keyFile: null,
          become: null,
          becomeUser: null,
          hostKeyChecking: null,
        },
        origin: { file: "", line: 1, column: 1 },
      },
  );
  return { ok: true, value: hosts };
}

/** Plans, gathers the facts the plan read but no host had yet, and plans again (≤ 5 rounds). */
async function planHosts(
  full: string,
  rootDir: string,
  hosts: InventoryHost[],
  inventory: Inventory,
  options: FleetLoadOptions,
  fleet: { serial: Settings["serial"]; maxFail: number | null },
): Promise<Result<LoadedFleet, Diagnostic[]>> {
  // One view of the files for every host and round: each file is read once.
  const { inputs } = compileInputs(full, options);
  const base = { ...inputs, fs: cachedView(inputs.fs) };
  const remotes = new Map<string, Transport>();
  const known = new Map<string, Map<string, unknown>>();
  const excluded: { host: string; error: string }[] = [];
  const local = localFacts();
  const timeoutMs = options.factTimeoutMs ?? 10_000;
  for (let round = 0; ; round++) {
    const missing = new Map<string, Set<string>>();
    const targets: FleetTarget[] = hosts
      .filter((h) => !excluded.some((x) => x.host === h.name))
      .map((h) => ({
        name: h.name,
        connection: planConnection(h),
        vars: { ...h.vars, ...magicVars(inventory, h.name) },
        facts:
          h.connection.kind === "local"
            ? local
            : remoteLookup(known, missing, h.name, local.names()),
      }));
    const plan = compileFleet(base, targets, {
      serial: fleet.serial,
      maxFailPercentage: fleet.maxFail,
      remote: true,
    });
    if (missing.size === 0 || round >= 5) {
      if (!plan.ok) return plan;
      return {
        ok: true,
        value: {
          plan: plan.value,
          rootDir,
          hosts: hosts.filter((h) => !excluded.some((x) => x.host === h.name)),
          excluded,
          remotes,
        },
      };
    }
    await Promise.all(
      [...missing].map(async ([name, facts]) => {
        const host = hosts.find((h) => h.name === name)!;
        let transport = remotes.get(name);
        if (transport === undefined) {
          transport = options.connect(host);
          remotes.set(name, transport);
        }
        try {
          const got = await gatherFactsVia(transport, [...facts], timeoutMs);
          const cache = known.get(name) ?? new Map<string, unknown>();
          for (const f of facts) cache.set(f, got[f]);
          known.set(name, cache);
        } catch (e) {
          excluded.push({ host: name, error: e instanceof Error ? e.message : String(e) });
        }
      }),
    );
  }
}

/** A host's facts as far as gathered; a fact not gathered yet is noted as missing. */
function remoteLookup(
  known: Map<string, Map<string, unknown>>,
  missing: Map<string, Set<string>>,
  host: string,
  names: readonly string[],
): FactLookup {
  return {
    names: () => names,
    get(name) {
      const cache = known.get(host);
      if (cache?.has(name) === true) return cache.get(name);
      let m = missing.get(host);
      if (m === undefined) {
        m = new Set();
        missing.set(host, m);
      }
      m.add(name);
      return undefined;
    },
  };
}
