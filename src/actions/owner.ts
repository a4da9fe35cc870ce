/**
 * Resolves `owner`/`group` names to numeric ids with `id -u` and `getent group`
 * (bounded by a timeout), so that user databases beyond /etc/passwd (LDAP, sssd) work.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ArgError } from "./args.js";

const run = promisify(execFile);
const TIMEOUT_MS = 5000;

export async function resolveUid(owner: string | null): Promise<number | null> {
  if (owner === null) return null;
  if (/^\d+$/.test(owner)) return Number(owner);
  try {
    const { stdout } = await run("id", ["-u", "--", owner], { timeout: TIMEOUT_MS });
    return Number(stdout.trim());
  } catch {
    throw new ArgError(`unknown user '${owner}'`);
  }
}

export async function resolveGid(group: string | null): Promise<number | null> {
  if (group === null) return null;
  if (/^\d+$/.test(group)) return Number(group);
  try {
    // getent prints "name:x:gid:members".
    const { stdout } = await run("getent", ["group", group], { timeout: TIMEOUT_MS });
    const gid = Number(stdout.split(":")[2]);
    if (Number.isInteger(gid)) return gid;
  } catch {
    // Reported below, as an unknown group.
  }
  throw new ArgError(`unknown group '${group}'`);
}
