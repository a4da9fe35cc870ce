/**
 * Telling a live process from a recycled pid: on Linux, a process is the pair (pid,
 * start time in clock ticks since boot, field 22 of /proc/<pid>/stat) within one boot
 * (`/proc/sys/kernel/random/boot_id`). Elsewhere only the pid is known, and a pid
 * that exists is taken as alive.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessIdentity {
  pid: number;
  host: string;
  boot_id: string | null;
  start: number | null;
}

let bootId: string | null | undefined;
export function currentBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** The start time of `pid` in clock ticks since boot, or null when unknown or gone. */
export function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

export function selfIdentity(): ProcessIdentity {
  return {
    pid: process.pid,
    host: hostname(),
    boot_id: currentBootId(),
    start: processStart(process.pid),
  };
}

/** Whether the process described is still the one running (same boot, pid and start time). */
export function isAlive(id: Omit<ProcessIdentity, "host">): boolean {
  if (id.boot_id !== null && currentBootId() !== null && id.boot_id !== currentBootId())
    return false;
  try {
    process.kill(id.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (id.start === null) return true;
  return processStart(id.pid) === id.start;
}
