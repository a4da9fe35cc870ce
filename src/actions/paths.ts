/**
 * Resolves path args. Controller paths (a template's or copy's `src`): `~` is this
 * user's home, relative paths are relative to the root playbook. Target paths: `~` is
 * the target user's home, and relative paths are relative to the root playbook on
 * this machine, to the target user's home elsewhere. Follows a destination's
 * symlinks the way writes do, with the kernel's hop limit, so that a link loop is a
 * failure naming the path and never a hang.
 */
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { TargetFs } from "../transports/fs.js";

/** As Linux's MAXSYMLINKS: more hops than this is a loop, or as good as one. */
export const MAX_SYMLINK_HOPS = 40;

/** A path on the controller (this machine). */
export function resolvePath(rootDir: string, p: string): string {
  if (p === "~") return homedir();
  if (p.startsWith("~/")) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(rootDir, p);
}

/** A path on the target of the step. */
export async function targetPath(ctx: { rootDir: string; fs: TargetFs }, p: string) {
  if (ctx.fs.local) return resolvePath(ctx.rootDir, p);
  if (p === "~") return ctx.fs.home();
  if (p.startsWith("~/")) return join(await ctx.fs.home(), p.slice(2));
  return isAbsolute(p) ? p : resolve(await ctx.fs.home(), p);
}

/**
 * Where a write to `path` lands: `path` itself unless it is a symlink, else the end
 * of its chain of links (which may not exist yet). Throws an ELOOP error carrying
 * `path` after MAX_SYMLINK_HOPS links; registry.ts turns it into a failed outcome.
 */
export async function followLinks(fs: TargetFs, path: string): Promise<string> {
  let cur = path;
  for (let hops = 0; ; hops++) {
    const st = await fs.lstat(cur);
    if (st?.kind !== "symlink") return cur;
    if (hops === MAX_SYMLINK_HOPS) throw loopError(path);
    cur = resolve(dirname(cur), await fs.readlink(cur));
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
