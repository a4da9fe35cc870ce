/**
 * The targets a run reaches (SPEC §1.6): which transport runs a step's processes, and
 * whether its target is this machine. A run without an inventory has one target,
 * `local`; a fleet run maps every inventory host to its own (SSH) transport, opened
 * lazily by that transport on its first use.
 */
import type { Transport } from "../transports/transport.js";

export interface TargetSet {
  /** The transport of a target (an unknown name, or `local`/`localhost`, is this machine). */
  transport(target: string): Transport;
  /** Whether a target is another machine: relative paths and `cwd` then mean the remote side. */
  isRemote(target: string): boolean;
  /** Close every connection (called once, when the run is over). */
  dispose(): void;
}

/** A run on this machine only. */
export function localTargets(local: Transport): TargetSet {
  return {
    transport: () => local,
    isRemote: () => false,
    dispose: () => local.dispose?.(),
  };
}

/** Names that mean this machine, as Ansible's implicit localhost. */
const LOCAL = new Set(["local", "localhost", "127.0.0.1"]);

/**
 * `remotes` by host name; a host missing there (one whose connection is `local`) and
 * the names of this machine use `local`.
 */
export function fleetTargets(local: Transport, remotes: ReadonlyMap<string, Transport>): TargetSet {
  return {
    transport: (t) => (LOCAL.has(t) ? local : (remotes.get(t) ?? local)),
    isRemote: (t) => !LOCAL.has(t) && remotes.has(t),
    dispose() {
      local.dispose?.();
      for (const r of remotes.values()) r.dispose?.();
    },
  };
}
