/**
 * Stopping one step's process group on timeout or cancel, shared by the two ways the
 * local transport starts processes (directly, or through the spawner): SIGTERM to the
 * group and to the attempt's processes that left it, SIGKILL after the grace period.
 * The SIGKILL timer stays referenced on purpose: a child that ignores SIGTERM must not
 * outlive cairn; the transport's dispose() fires pending ones at the end of the run.
 */
import { findByEnv, signalAll } from "./survivors.js";

/** Process groups sent SIGTERM whose SIGKILL timer is still pending, by group id. */
export type PendingKills = Map<number, NodeJS.Timeout>;

export interface GroupStopper {
  /** Sends SIGTERM now and SIGKILL after the grace period. */
  abort(): void;
  /** The process is over: a pending SIGKILL is dropped if the group is already empty. */
  settle(): void;
}

export function groupStopper(
  pid: () => number | undefined,
  env: Record<string, string>,
  killGraceMs: number,
  pendingKills: PendingKills,
): GroupStopper {
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (s: NodeJS.Signals | 0): boolean => {
    const p = pid();
    if (p === undefined) return false;
    try {
      process.kill(-p, s);
      return true;
    } catch {
      // ESRCH: every process of the group is already gone.
      return false;
    }
  };
  // Descendants that left the group (setsid) still carry the attempt's variables.
  const escaped = (s: NodeJS.Signals) => {
    const mark = attemptMark(env);
    if (mark !== null) signalAll(findByEnv(mark), s);
  };
  return {
    abort() {
      escaped("SIGTERM");
      if (!killGroup("SIGTERM")) return;
      const pgid = pid();
      killTimer = setTimeout(() => {
        if (pgid !== undefined) pendingKills.delete(pgid);
        killGroup("SIGKILL");
        escaped("SIGKILL");
      }, killGraceMs);
      if (pgid !== undefined) pendingKills.set(pgid, killTimer);
    },
    settle() {
      if (killTimer !== undefined && !killGroup(0)) {
        clearTimeout(killTimer);
        const p = pid();
        if (p !== undefined) pendingKills.delete(p);
      }
    },
  };
}

/** SIGKILL to every group still waiting for it (the run is over). */
export function killPending(pendingKills: PendingKills): void {
  for (const [pgid, timer] of pendingKills) {
    clearTimeout(timer);
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // ESRCH: the group is gone already.
    }
  }
  pendingKills.clear();
}

/** The CAIRN_* variables that mark one attempt's processes, when the driver set them. */
function attemptMark(env: Record<string, string>): Record<string, string> | null {
  const { CAIRN_RUN_ID, CAIRN_STEP_ID, CAIRN_ATTEMPT } = env;
  if (CAIRN_RUN_ID === undefined || CAIRN_STEP_ID === undefined || CAIRN_ATTEMPT === undefined)
    return null;
  return { CAIRN_RUN_ID, CAIRN_STEP_ID, CAIRN_ATTEMPT };
}
