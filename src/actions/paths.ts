/** Resolves path args: `~` is the user's home, relative paths are relative to the root playbook. */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export function resolvePath(rootDir: string, p: string): string {
  if (p === "~") return homedir();
  if (p.startsWith("~/")) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(rootDir, p);
}
