/**
 * The shared tail of every action that sets a file's content (file, template, copy,
 * download, replace, lineinfile): write through ensureContent (or, for content in a
 * file, ensureFileFrom) and shape the outcome.
 */
import type { TargetFs } from "../transports/fs.js";
import { optBool } from "./args.js";
import type { WantedAttrs } from "./attrs.js";
import { formatMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import type { ActionOutcome } from "./types.js";
import { type ContentOutcome, ensureContent } from "./write-file.js";

export async function writeContent(
  fs: TargetFs,
  args: Record<string, unknown>,
  path: string,
  content: Buffer,
  attrs: WantedAttrs,
  dry: boolean,
  extra: Record<string, unknown>,
): Promise<ActionOutcome> {
  const r = await ensureContent(fs, {
    path,
    content,
    backup: optBool(args, "backup", false),
    dry,
    ...attrs,
  });
  return shapeWrite(r, path, attrs, extra);
}

export function shapeWrite(
  r: ContentOutcome,
  path: string,
  attrs: WantedAttrs,
  extra: Record<string, unknown>,
): ActionOutcome {
  if (r.error !== null) return failedWith("error", r.error, { path, ...extra });
  const result: Record<string, unknown> = { path, ...extra };
  if (r.backupFile !== null) result.backup_file = r.backupFile;
  if (attrs.mode !== null) result.mode = formatMode(attrs.mode);
  return succeeded(r.changed, result, r.diff);
}
