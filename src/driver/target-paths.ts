/** `creates:`/`removes:` paths, looked up on the step's target through its file system. */
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { TargetFs } from "../transports/fs.js";

export /** Whether `creates`/`removes` names an existing path on the target (`~` is the target user's home). */
async function existsOnTarget(fs: TargetFs, cwd: string | null, p: string): Promise<boolean> {
  const home = p === "~" || p.startsWith("~/") ? (fs.local ? homedir() : await fs.home()) : null;
  // A relative path on a remote target without cwd is relative to the login directory.
  const path = home !== null ? home + p.slice(1) : cwd === null ? p : resolve(cwd, p);
  return (await fs.stat(path)) !== null;
}
