/** Whether a process is alive, for tests that check nothing is left running. */
import { readFileSync } from "node:fs";

/** kill -0, but a zombie counts as dead: in a container PID 1 may never reap it. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
