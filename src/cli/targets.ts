/**
 * The CLI's remote targets: an SSH transport per host of a fleet plan, made from the
 * plan's own connection details (so `apply` and `resume` need no inventory), opened
 * lazily by the transport on its first command. Transports opened while planning
 * (to gather facts) are reused by the run.
 */
import { fleetTargets, localTargets, type TargetSet } from "../driver/targets.js";
import type { Plan, PlanConnection } from "../model/plan.js";
import type { Transport } from "../transports/transport.js";

/**
 * An SSH transport for one host; host keys are checked strictly unless the inventory
 * says otherwise. ssh2 is loaded on the first command, so that local runs never pay
 * for it.
 */
export function connectTo(name: string, c: PlanConnection): Transport {
  let ssh: Promise<Transport> | null = null;
  let opened: Transport | null = null;
  const open = () => {
    ssh ??= import("../transports/ssh.js").then((m) => {
      opened = m.sshTransport({
        name,
        host: c.host,
        port: c.port,
        user: c.user,
        keyFile: c.key_file,
        hostKeyChecking: c.host_key_checking ?? "strict",
        connectTimeoutMs: 10_000,
        connectRetries: 2,
        keepaliveMs: 15_000,
      });
      return opened;
    });
    return ssh;
  };
  return {
    name: `ssh:${name}`,
    run: async (spec) => (await open()).run(spec),
    dispose: () => opened?.dispose?.(),
  };
}

/** The run's targets: this machine, and each remote host of the plan over SSH. */
export function targetsFor(
  plan: Plan,
  opened: ReadonlyMap<string, Transport> = new Map(),
): ((local: Transport) => TargetSet) | undefined {
  const fleet = plan.fleet;
  if (fleet === undefined) return undefined;
  return (local) => {
    const remotes = new Map<string, Transport>();
    for (const [name, c] of Object.entries(fleet.connections)) {
      if (c.kind !== "ssh") continue;
      remotes.set(name, opened.get(name) ?? connectTo(name, c));
    }
    return remotes.size === 0 ? localTargets(local) : fleetTargets(local, remotes);
  };
}
