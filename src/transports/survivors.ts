/**
 * Finding processes that escaped their process group. Every process a step starts
 * carries `CAIRN_RUN_ID`, `CAIRN_STEP_ID` and `CAIRN_ATTEMPT` in its environment
 * (driver/attempt.ts), and children inherit it even after `setsid`, so on Linux
 * `/proc/<pid>/environ` tells which run, step and attempt a process belongs to. Where
 * /proc is missing (macOS) nothing is found and only the group kill applies.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pids (other than ours) whose environment holds every one of `vars` exactly. */
export function findByEnv(vars: Record<string, string>): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const wanted = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  const found: number[] = [];
  for (const name of entries) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    const set = new Set(environ.split("\0"));
    if (wanted.every((w) => set.has(w))) found.push(pid);
  }
  return found;
}

/** Sends `signal` to each pid; returns those that existed. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals | 0): number[] {
  const hit: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      hit.push(pid);
    } catch {
      // Gone already.
    }
  }
  return hit;
}
