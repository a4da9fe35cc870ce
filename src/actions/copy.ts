/**
 * `copy`: puts `src` (a file, relative to the root playbook) or `content` at `dest`.
 * Changed only when the bytes (compared by sha256, not mtime) or the mode differ. A
 * `src` is streamed, never decoded: binary files copy byte for byte, in flat memory.
 * node:fs (statOrNull's stat) reads the controller's `src` only; `dest` is the target's.
 */
import { stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { ArgError, optBool, optString, reqString } from "./args.js";
import { shapeWrite, writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { sha256OfLocalFile } from "./file-hash.js";
import { failedWith, succeeded } from "./outcome.js";
import { followLinks, resolvePath, targetPath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { ensureFileFrom } from "./write-stream.js";

export const copy: ActionHandler = {
  name: "copy",
  runsProcess: false,
  check: (ctx) => runCopy(ctx, true),
  apply: (ctx) => runCopy(ctx, false),
};

async function runCopy(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const srcArg = optString(ctx.args, "src");
  const inline = ctx.args.content;
  if ((srcArg === null) === (inline === undefined || inline === null)) {
    throw new ArgError("exactly one of 'src' or 'content' is required");
  }
  const destArg = reqString(ctx.args, "dest");
  const fs = ctx.fs;
  let dest = await targetPath(ctx, destArg);
  let content: Buffer | null = null;
  let src: string | null = null;
  let checksum: string;
  if (srcArg !== null) {
    src = resolvePath(ctx.rootDir, srcArg);
    const srcSt = await stat(src).catch(() => null);
    if (srcSt === null) return failedWith("error", `src not found: ${srcArg}`);
    if (srcSt.isDirectory()) return failedWith("error", "directory copy not supported yet");
    checksum = await sha256OfLocalFile(src);
    // As cp does: into an existing directory (or a dest ending in '/'), keep the name.
    if (destArg.endsWith("/") || (await fs.stat(await followLinks(fs, dest)))?.kind === "directory")
      dest = join(dest, basename(src));
  } else {
    content = Buffer.from(typeof inline === "string" ? inline : JSON.stringify(inline), "utf8");
    checksum = createHash("sha256").update(content).digest("hex");
  }
  const expected = optString(ctx.args, "checksum");
  const extra = { src, dest, checksum };
  if (expected !== null && expected.replace(/^sha256:/, "").toLowerCase() !== checksum) {
    return failedWith(
      "error",
      `checksum mismatch: expected ${expected}, got sha256:${checksum}`,
      extra,
    );
  }
  if (!optBool(ctx.args, "force", true) && (await fs.stat(await followLinks(fs, dest))) !== null) {
    return succeeded(false, extra);
  }
  const attrs = await wantedAttrs(ctx.args, fs);
  if (src === null) {
    return writeContent(fs, ctx.args, dest, content ?? Buffer.alloc(0), attrs, dry, extra);
  }
  const r = await ensureFileFrom(fs, {
    path: dest,
    from: { controller: src },
    sha256: checksum,
    backup: optBool(ctx.args, "backup", false),
    dry,
    ...attrs,
  });
  return shapeWrite(r, dest, attrs, extra);
}
