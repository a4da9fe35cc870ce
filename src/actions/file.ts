/**
 * `file`: makes a path be a file (with `content`), a directory, absent, touched, a
 * symlink or hard link, or just fixes its permissions. Changes only what differs;
 * one code path serves check (dry) and apply.
 */
import { type FileStat, fsError } from "../transports/fs.js";
import { ArgError, optBool, optString, reqString } from "./args.js";
import { ensureAttrs, ensureAttrsBelow, type WantedAttrs } from "./attrs.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { formatMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import { targetPath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { writeContent } from "./content-action.js";
import { replaceWith } from "./write-file.js";

const STATES = ["file", "present", "directory", "absent", "touch", "link", "hardlink", "perms"];

export const file: ActionHandler = {
  name: "file",
  runsProcess: false,
  check: (ctx) => runFile(ctx, true),
  apply: (ctx) => runFile(ctx, false),
};

interface FileOp {
  path: string;
  attrs: WantedAttrs;
  dry: boolean;
  ctx: ActionContext;
}

async function runFile(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const path = await targetPath(ctx, reqString(ctx.args, "path"));
  const state = optString(ctx.args, "state") ?? "file";
  if (!STATES.includes(state))
    throw new ArgError(`unknown state '${state}' (one of ${STATES.join(", ")})`);
  const op: FileOp = { path, attrs: await wantedAttrs(ctx.args, ctx.fs), dry, ctx };
  const out = await byState(state, op);
  if (out.failure === null) out.result.state = state === "present" ? "file" : state;
  out.result.path = path;
  return out;
}

function byState(state: string, op: FileOp): Promise<ActionOutcome> {
  switch (state) {
    case "directory":
      return directory(op);
    case "absent":
      return absent(op);
    case "touch":
      return touch(op);
    case "link":
      return symbolicLink(op);
    case "hardlink":
      return hardLink(op);
    case "perms":
      return perms(op);
    default:
      return regularFile(op);
  }
}

async function regularFile(op: FileOp): Promise<ActionOutcome> {
  const content = op.ctx.args.content;
  const st = await op.ctx.fs.lstat(op.path);
  // Without content, an existing file keeps its bytes; only its attributes are enforced.
  if ((content === undefined || content === null) && st !== null) {
    if (st.kind === "directory") return failedWith("error", `${op.path} is a directory`);
    return attrsOnly(op, st);
  }
  const text = content === undefined || content === null ? "" : contentString(content);
  return writeContent(
    op.ctx.fs,
    op.ctx.args,
    op.path,
    Buffer.from(text, "utf8"),
    op.attrs,
    op.dry,
    {},
  );
}

/** YAML may hand a number or a mapping as content; files hold text. */
function contentString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

async function directory(op: FileOp): Promise<ActionOutcome> {
  const st = await op.ctx.fs.lstat(op.path);
  if (st !== null && st.kind !== "directory")
    return failedWith("error", `${op.path} exists and is not a directory`);
  const recurse = optBool(op.ctx.args, "recurse", false);
  if (st === null) {
    if (!op.dry) {
      await op.ctx.fs.mkdir(op.path);
      await ensureAttrs(op.ctx.fs, op.path, await existing(op), op.attrs, false);
    }
    return succeeded(true, modeResult(op));
  }
  let changed = await ensureAttrs(op.ctx.fs, op.path, st, op.attrs, op.dry);
  if (recurse && (await ensureAttrsBelow(op.ctx.fs, op.path, op.attrs, op.dry))) changed = true;
  return succeeded(changed, modeResult(op));
}

async function absent(op: FileOp): Promise<ActionOutcome> {
  const st = await op.ctx.fs.lstat(op.path);
  if (st !== null && !op.dry) await op.ctx.fs.remove(op.path);
  return succeeded(st !== null, {});
}

async function touch(op: FileOp): Promise<ActionOutcome> {
  if (!op.dry) {
    await op.ctx.fs.touch(op.path);
    await ensureAttrs(op.ctx.fs, op.path, await existing(op), op.attrs, false);
  }
  // Touching always changes the times, as Ansible reports.
  return succeeded(true, modeResult(op));
}

async function perms(op: FileOp): Promise<ActionOutcome> {
  const st = await op.ctx.fs.lstat(op.path);
  if (st === null) return failedWith("error", `${op.path} does not exist`);
  return attrsOnly(op, st);
}

async function attrsOnly(op: FileOp, st: FileStat): Promise<ActionOutcome> {
  return succeeded(await ensureAttrs(op.ctx.fs, op.path, st, op.attrs, op.dry), modeResult(op));
}

async function symbolicLink(op: FileOp): Promise<ActionOutcome> {
  const target = await targetPath(op.ctx, reqString(op.ctx.args, "src"));
  const fs = op.ctx.fs;
  const st = await fs.lstat(op.path);
  if (st?.kind === "symlink" && (await fs.readlink(op.path)) === target)
    return succeeded(false, { src: target });
  // Repointing a symlink is the point of the action; replacing anything else needs force.
  if (st !== null && st.kind !== "symlink" && !optBool(op.ctx.args, "force", false)) {
    return failedWith(
      "error",
      `${op.path} exists and is not a symlink (use force: true to replace it)`,
    );
  }
  if (st?.kind === "directory")
    return failedWith("error", `${op.path} is a directory; refusing to replace it`);
  if (!op.dry) await replaceWith(fs, op.path, (tmp) => fs.symlink(target, tmp));
  return succeeded(true, { src: target });
}

async function hardLink(op: FileOp): Promise<ActionOutcome> {
  const src = await targetPath(op.ctx, reqString(op.ctx.args, "src"));
  const fs = op.ctx.fs;
  const srcSt = await fs.lstat(src);
  if (srcSt === null && !op.dry) return failedWith("error", `src does not exist: ${src}`);
  const st = await op.ctx.fs.lstat(op.path);
  if (st !== null && srcSt !== null && st.ino === srcSt.ino && st.dev === srcSt.dev) {
    return succeeded(false, { src });
  }
  if (st !== null && !optBool(op.ctx.args, "force", false)) {
    return failedWith("error", `${op.path} exists (use force: true to replace it)`);
  }
  if (st?.kind === "directory")
    return failedWith("error", `${op.path} is a directory; refusing to replace it`);
  if (!op.dry) await replaceWith(fs, op.path, (tmp) => fs.hardlink(src, tmp));
  return succeeded(true, { src });
}

/** The path's stat right after it was made. */
async function existing(op: FileOp): Promise<FileStat> {
  const st = await op.ctx.fs.stat(op.path);
  if (st === null) throw fsError("ENOENT", `${op.path} vanished after it was made`, op.path);
  return st;
}

function modeResult(op: FileOp): Record<string, unknown> {
  return op.attrs.mode === null ? {} : { mode: formatMode(op.attrs.mode) };
}
