/**
 * `copy`: puts `src` (a file, relative to the root playbook) or `content` at `dest`.
 * Changed only when the bytes (compared by content, not mtime) or the mode differ.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { ArgError, optBool, optString, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith, succeeded } from "./outcome.js";
import { resolvePath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { statOrNull } from "./write-file.js";

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
  let dest = resolvePath(ctx.rootDir, destArg);
  let content: Buffer;
  let src: string | null = null;
  if (srcArg !== null) {
    src = resolvePath(ctx.rootDir, srcArg);
    const srcSt = await statOrNull(src);
    if (srcSt === null) return failedWith("error", `src not found: ${srcArg}`);
    if (srcSt.isDirectory()) return failedWith("error", "directory copy not supported yet");
    content = await readFile(src);
    // As cp does: into an existing directory (or a dest ending in '/'), keep the name.
    if (destArg.endsWith("/") || (await statOrNull(dest))?.isDirectory())
      dest = join(dest, basename(src));
  } else {
    content = Buffer.from(typeof inline === "string" ? inline : JSON.stringify(inline), "utf8");
  }
  const checksum = createHash("sha256").update(content).digest("hex");
  const expected = optString(ctx.args, "checksum");
  const extra = { src, dest, checksum };
  if (expected !== null && expected.replace(/^sha256:/, "").toLowerCase() !== checksum) {
    return failedWith(
      "error",
      `checksum mismatch: expected ${expected}, got sha256:${checksum}`,
      extra,
    );
  }
  if (!optBool(ctx.args, "force", true) && (await statOrNull(dest)) !== null) {
    return succeeded(false, extra);
  }
  return writeContent(ctx.args, dest, content, await wantedAttrs(ctx.args), dry, extra);
}
