/**
 * `file`: makes a path be a file (with `content`), a directory, absent, touched, a
 * symlink or hard link, or just fixes its permissions. Changes only what differs;
 * one code path serves check (dry) and apply.
 */
import type { Stats } from "node:fs";
import {
  link,
  mkdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ArgError, optBool, optString, reqString } from "./args.js";
import { ensureAttrs, ensureAttrsBelow, type WantedAttrs } from "./attrs.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { formatMode } from "./mode.js";
import { failedWith, succeeded } from "./outcome.js";
import { resolvePath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { writeContent } from "./content-action.js";
import { lstatOrNull } from "./write-file.js";

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
  const path = resolvePath(ctx.rootDir, reqString(ctx.args, "path"));
  const state = optString(ctx.args, "state") ?? "file";
  if (!STATES.includes(state))
    throw new ArgError(`unknown state '${state}' (one of ${STATES.join(", ")})`);
  const op: FileOp = { path, attrs: await wantedAttrs(ctx.args), dry, ctx };
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
  const st = await lstatOrNull(op.path);
  // Without content, an existing file keeps its bytes; only its attributes are enforced.
  if ((content === undefined || content === null) && st !== null) {
    if (st.isDirectory()) return failedWith("error", `${op.path} is a directory`);
    return attrsOnly(op, st);
  }
  const text = content === undefined || content === null ? "" : contentString(content);
  return writeContent(op.ctx.args, op.path, Buffer.from(text, "utf8"), op.attrs, op.dry, {});
}

/** YAML may hand a number or a mapping as content; files hold text. */
function contentString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

async function directory(op: FileOp): Promise<ActionOutcome> {
  const st = await lstatOrNull(op.path);
  if (st !== null && !st.isDirectory())
    return failedWith("error", `${op.path} exists and is not a directory`);
  const recurse = optBool(op.ctx.args, "recurse", false);
  if (st === null) {
    if (!op.dry) {
      await mkdir(op.path, { recursive: true });
      await ensureAttrs(op.path, await stat(op.path), op.attrs, false);
    }
    return succeeded(true, modeResult(op));
  }
  let changed = await ensureAttrs(op.path, st, op.attrs, op.dry);
  if (recurse && (await ensureAttrsBelow(op.path, op.attrs, op.dry))) changed = true;
  return succeeded(changed, modeResult(op));
}

async function absent(op: FileOp): Promise<ActionOutcome> {
  const st = await lstatOrNull(op.path);
  if (st !== null && !op.dry) await rm(op.path, { recursive: true, force: true });
  return succeeded(st !== null, {});
}

async function touch(op: FileOp): Promise<ActionOutcome> {
  const st = await lstatOrNull(op.path);
  if (!op.dry) {
    if (st === null) await writeFile(op.path, "", { flag: "wx" });
    else {
      const now = new Date();
      await utimes(op.path, now, now);
    }
    await ensureAttrs(op.path, await stat(op.path), op.attrs, false);
  }
  // Touching always changes the times, as Ansible reports.
  return succeeded(true, modeResult(op));
}

async function perms(op: FileOp): Promise<ActionOutcome> {
  const st = await lstatOrNull(op.path);
  if (st === null) return failedWith("error", `${op.path} does not exist`);
  return attrsOnly(op, st);
}

async function attrsOnly(op: FileOp, st: Stats): Promise<ActionOutcome> {
  return succeeded(await ensureAttrs(op.path, st, op.attrs, op.dry), modeResult(op));
}

async function symbolicLink(op: FileOp): Promise<ActionOutcome> {
  const target = resolvePath(op.ctx.rootDir, reqString(op.ctx.args, "src"));
  const st = await lstatOrNull(op.path);
  if (st?.isSymbolicLink() && (await readlink(op.path)) === target)
    return succeeded(false, { src: target });
  // Repointing a symlink is the point of the action; replacing anything else needs force.
  if (st !== null && !st.isSymbolicLink() && !optBool(op.ctx.args, "force", false)) {
    return failedWith(
      "error",
      `${op.path} exists and is not a symlink (use force: true to replace it)`,
    );
  }
  if (st?.isDirectory())
    return failedWith("error", `${op.path} is a directory; refusing to replace it`);
  if (!op.dry) await replaceWith(op.path, (tmp) => symlink(target, tmp));
  return succeeded(true, { src: target });
}

async function hardLink(op: FileOp): Promise<ActionOutcome> {
  const src = resolvePath(op.ctx.rootDir, reqString(op.ctx.args, "src"));
  const srcSt = await lstatOrNull(src);
  if (srcSt === null && !op.dry) return failedWith("error", `src does not exist: ${src}`);
  const st = await lstatOrNull(op.path);
  if (st !== null && srcSt !== null && st.ino === srcSt.ino && st.dev === srcSt.dev) {
    return succeeded(false, { src });
  }
  if (st !== null && !optBool(op.ctx.args, "force", false)) {
    return failedWith("error", `${op.path} exists (use force: true to replace it)`);
  }
  if (st?.isDirectory())
    return failedWith("error", `${op.path} is a directory; refusing to replace it`);
  if (!op.dry) await replaceWith(op.path, (tmp) => link(src, tmp));
  return succeeded(true, { src });
}

/** Creates the new link under a temp name, then renames it over the path (atomic). */
async function replaceWith(path: string, make: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.cairn-${process.pid}-${Date.now()}.tmp`);
  await make(tmp);
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

function modeResult(op: FileOp): Record<string, unknown> {
  return op.attrs.mode === null ? {} : { mode: formatMode(op.attrs.mode) };
}
