/**
 * One writer per run: `lock` in the run directory holds the holder's identity (pid,
 * host, boot id, process start time). Taking it is an exclusive create; a lock left
 * by a process of this host that is gone (another boot, no such pid, or a pid reused
 * by a younger process) is taken over with a warning. A live holder, or a holder on
 * another host, is refused with its pid.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isAlive, type ProcessIdentity, selfIdentity } from "./process-id.js";

export type LockResult =
  | { ok: true; release: () => void; warning: string | null }
  | { ok: false; message: string };

export function takeLock(dir: string): LockResult {
  const path = join(dir, "lock");
  const me = selfIdentity();
  const body = JSON.stringify(me);
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, body);
      closeSync(fd);
      return { ok: true, release: () => releaseLock(path, me), warning: null };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readHolder(path);
    if (holder === "gone") continue;
    if (holder !== null && holder.host !== me.host) {
      return {
        ok: false,
        message: `the run is locked by pid ${holder.pid} on host ${holder.host}; remove ${path} if that process is gone`,
      };
    }
    if (holder !== null && isAlive(holder)) {
      return {
        ok: false,
        message: `the run is in use by another cairn (pid ${holder.pid}); wait for it to end or stop it`,
      };
    }
    // Dead holder (or an unreadable lock from a crash during its creation): take it over atomically.
    const tmp = `${path}.${process.pid}`;
    const fd = openSync(tmp, "w");
    writeSync(fd, body);
    closeSync(fd);
    renameSync(tmp, path);
    const who = holder === null ? "an unreadable lock" : `pid ${holder.pid}, no longer running`;
    return {
      ok: true,
      release: () => releaseLock(path, me),
      warning: `took over the lock of a crashed run (${who})`,
    };
  }
  return { ok: false, message: `cannot take the lock ${path}` };
}

function readHolder(path: string): ProcessIdentity | null | "gone" {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as ProcessIdentity;
    return typeof v.pid === "number" ? v : null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : null;
  }
}

/** Removes the lock if it is still ours (a takeover may have replaced it). */
function releaseLock(path: string, me: ProcessIdentity): void {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as ProcessIdentity;
    if (v.pid === me.pid && v.start === me.start) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
