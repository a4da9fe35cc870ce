/**
 * The files `service` writes for any service manager (a systemd unit or drop-in, a
 * launchd plist): their text, from `content` or a `src_template` rendered with the
 * step's variables, written like `template` does (atomic, diffed, unchanged bytes left
 * alone). node:fs reads a `src_template` (a controller file); the written files are the target's.
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ArgError, optString } from "./args.js";
import { parseMode } from "./mode.js";
import { resolvePath } from "./paths.js";
import { lineColumn } from "./template.js";
import type { ActionContext } from "./types.js";
import { ensureContent } from "./write-file.js";

/** The text of a unit, drop-in or plist: `content`, or `src_template` rendered with the step's vars. */
export async function fileText(
  ctx: ActionContext,
  part: Record<string, unknown>,
  what: string,
): Promise<string> {
  const content = optString(part, "content");
  if (content !== null) return content;
  const src = optString(part, "src_template");
  if (src === null) throw new ArgError(`'${what}' needs 'content' or 'src_template'`);
  let text: string;
  try {
    text = await readFile(resolvePath(ctx.rootDir, src), "utf8");
  } catch {
    throw new ArgError(`${what}: template not found: ${src}`);
  }
  const r = ctx.renderTemplate(text, {});
  if (r.ok) return r.value;
  const { line, column } = lineColumn(text, r.error.offset);
  throw new ArgError(`${src}:${line}:${column}: ${r.error.message}`);
}

export interface FileChange {
  path: string;
  changed: boolean;
  diff: string;
}

/** Brings the file at `path` to `text` (its directory made first); in a dry run only says what would change. */
export async function ensureFile(
  ctx: ActionContext,
  path: string,
  text: string,
  mode: number,
  dry: boolean,
): Promise<FileChange> {
  if (!dry) await ctx.fs.mkdir(dirname(path), 0o755);
  const r = await ensureContent(ctx.fs, {
    path,
    content: Buffer.from(text, "utf8"),
    backup: false,
    dry,
    mode,
    uid: null,
    gid: null,
  });
  if (r.error !== null) throw new ArgError(r.error);
  return { path, changed: r.changed, diff: r.diff };
}

/** The `unit` arg's file (a systemd unit, a launchd plist) at `path`, its `mode` defaulting to 0644. */
export async function ensureUnitFile(
  ctx: ActionContext,
  unit: Record<string, unknown>,
  path: string,
  dry: boolean,
): Promise<FileChange> {
  const text = await fileText(ctx, unit, "unit");
  return ensureFile(ctx, path, text, parseMode(unit.mode) ?? 0o644, dry);
}
