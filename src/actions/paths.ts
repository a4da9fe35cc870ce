/**
 * Resolves path args: `~` is the user's home, relative paths are relative to the root
 * playbook. Follows a destination's symlinks the way writes do, with the kernel's hop
 * limit, so that a link loop is a failure naming the path and never a hang.
 */
import type { Stats } from "node:fs";
import { lstat, readlink, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** As Linux's MAXSYMLINKS: more hops than this is a loop, or as good as one. */
export const MAX_SYMLINK_HOPS = 40;

export function resolvePath(rootDir: string, p: string): string {
  if (p === "~") return homedir();
  if (p.startsWith("~/")) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(rootDir, p);
}

/**
 * Where a write to `path` lands: `path` itself unless it is a symlink, else the end
 * of its chain of links (which may not exist yet). Throws an ELOOP error carrying
 * `path` after MAX_SYMLINK_HOPS links; registry.ts turns it into a failed outcome.
 */
export async function followLinks(path: string): Promise<string> {
  let cur = path;
  for (let hops = 0; ; hops++) {
    const st = await lstatOrNull(cur);
    if (!st?.isSymbolicLink()) return cur;
    if (hops === MAX_SYMLINK_HOPS) throw loopError(path);
    cur = resolve(dirname(cur), await readlink(cur));
  }
}

/** Shaped as node:fs errors are, so that one handler serves ours and the kernel's. */
export function loopError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ELOOP: too many levels of symbolic links, '${path}'`), {
    code: "ELOOP",
    errno: -40,
    syscall: "open",
    path,
  });
}

export async function lstatOrNull(path: string): Promise<Stats | null> {
  return orNullIfMissing(lstat(path));
}

export async function statOrNull(path: string): Promise<Stats | null> {
  return orNullIfMissing(stat(path));
}

async function orNullIfMissing(p: Promise<Stats>): Promise<Stats | null> {
  try {
    return await p;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
