/**
 * `unarchive`: extracts `src` (.tar, .tar.gz/.tgz or .zip, told apart by content)
 * into the directory `dest` (created when missing, as mooncake does), dropping `strip_components` leading path parts.
 * Changed only when an extracted file's bytes or mode differ, or a file, directory or
 * symlink is missing. Every entry is compared — and every refusal found — before
 * anything is written, so a hostile archive writes nothing at all. `creates` is the
 * driver's; `mode`, when given, is the mode of every extracted regular file.
 *
 * On a remote target the archive is read on the controller (node:fs reads `src` only)
 * and its entries are compared with, and written to, the target one by one through
 * its TargetFs, rather than uploaded and extracted there by tar or unzip: the same
 * traversal checks (lexical, then on the target's disk) and the same per-entry
 * idempotency hold wherever the files land, whatever tools the target has.
 */
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readArchive } from "./archive/read.js";
import { ArgError, optNumber, reqString } from "./args.js";
import { parseMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import { resolvePath, targetPath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { leavesRoot, syncEntry } from "./unarchive-extract.js";
import { type Placed, placeEntries } from "./unarchive-place.js";

export const unarchive: ActionHandler = {
  name: "unarchive",
  runsProcess: false,
  check: (ctx) => runUnarchive(ctx, true),
  apply: (ctx) => runUnarchive(ctx, false),
};

async function runUnarchive(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const srcArg = reqString(ctx.args, "src");
  const destArg = reqString(ctx.args, "dest");
  const strip = optNumber(ctx.args, "strip_components") ?? 0;
  if (!Number.isInteger(strip) || strip < 0) {
    throw new ArgError("'strip_components' must be a whole number, 0 or more");
  }
  const fileMode = parseMode(ctx.args.mode);
  const src = resolvePath(ctx.rootDir, srcArg);
  const dest = await targetPath(ctx, destArg);
  const fs = ctx.fs;
  const extra = { src, dest };
  const srcSt = await stat(src).catch(() => null);
  if (srcSt === null) return failedWith("error", `src not found: ${srcArg}`, extra);
  if (!srcSt.isFile()) return failedWith("error", `src is not a file: ${srcArg}`, extra);
  // mooncake creates a missing dest (Ansible would refuse): its playbooks extract into new directories.
  const destSt = await fs.stat(dest);
  if (destSt !== null && destSt.kind !== "directory")
    return failedWith("error", `dest is not a directory: ${destArg}`, extra);

  const entries = readArchive(await readFile(src));
  if (!entries.ok) return failedWith("error", `${srcArg}: ${entries.error}`, extra);
  const placed = placeEntries(entries.value, strip);
  if (!placed.ok) return failedWith("error", `${srcArg}: ${placed.error}`, extra);

  const created = destSt === null;
  if (created && !dry) await fs.mkdir(dest, 0o755);
  // A dest that does not exist yet holds no symlink to escape through.
  const root = created && dry ? dest : await fs.realpath(dest);
  const pending: Placed[] = [];
  const diffs: string[] = [];
  for (const p of placed.value) {
    const path = join(root, p.rel);
    const escapes =
      !(created && dry) &&
      (await leavesRoot(fs, root, p.entry.kind === "dir" ? path : dirname(path)));
    if (escapes) {
      const msg = `${srcArg}: refusing entry under a symlink that leads out of dest: ${p.entry.name}`;
      return failedWith("error", msg, extra);
    }
    const r = await syncEntry(fs, path, p.entry, fileMode, true);
    if (r.error !== null) return failedWith("error", r.error, extra);
    if (r.changed) pending.push(p);
    diffs.push(r.diff);
  }
  if (!dry) {
    for (const p of pending) {
      const r = await syncEntry(fs, join(root, p.rel), p.entry, fileMode, false);
      if (r.error !== null) return failedWith("error", r.error, extra);
    }
  }
  const files = pending.map((p) => p.rel);
  return succeeded(created || files.length > 0, { ...extra, files }, diffs.join(""));
}
