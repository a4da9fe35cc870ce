/**
 * Before a resume runs anything, it stops what the interrupted run left running:
 * the process groups its journal saw start and never saw end (only when the pid
 * still belongs to the same process: same boot and start time), and any process
 * that still carries the run's id in its environment (those that left their group).
 * TERM first, KILL after two seconds.
 */
import { isAlive } from "../journal/process-id.js";
import type { LeftoverProcess } from "../journal/history.js";
import { findByEnv, signalAll } from "../transports/survivors.js";

const GRACE_MS = 2000;

export async function stopLeftovers(
  runId: string,
  recorded: readonly LeftoverProcess[],
): Promise<number[]> {
  const groups = recorded.filter((p) => isAlive(p)).map((p) => p.pid);
  const termGroup = (sig: NodeJS.Signals | 0) =>
    signalAll(
      groups.map((g) => -g),
      sig,
    ).map((g) => -g);
  const stopped = new Set<number>([...termGroup("SIGTERM")]);
  for (const pid of signalAll(findByEnv({ CAIRN_RUN_ID: runId }), "SIGTERM")) stopped.add(pid);
  if (stopped.size === 0) return [];
  const deadline = Date.now() + GRACE_MS;
  while (
    Date.now() < deadline &&
    (termGroup(0).length > 0 || findByEnv({ CAIRN_RUN_ID: runId }).length > 0)
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  termGroup("SIGKILL");
  signalAll(findByEnv({ CAIRN_RUN_ID: runId }), "SIGKILL");
  return [...stopped].sort((a, b) => a - b);
}
