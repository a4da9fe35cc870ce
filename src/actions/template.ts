/**
 * `template`: renders a Jinja2 file (`src`, relative to the root playbook) with the
 * step's variables plus `vars`, and writes it to `dest` like `file` with content.
 * The renderer comes from the context, so this module does not depend on src/template.
 * node:fs reads the template, a controller file; `dest` is written on the target.
 */
import { readFile } from "node:fs/promises";
import { optRecord, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith } from "./outcome.js";
import { resolvePath, targetPath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const template: ActionHandler = {
  name: "template",
  runsProcess: false,
  check: (ctx) => runTemplate(ctx, true),
  apply: (ctx) => runTemplate(ctx, false),
};

async function runTemplate(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const srcArg = reqString(ctx.args, "src");
  const src = resolvePath(ctx.rootDir, srcArg);
  const dest = await targetPath(ctx, reqString(ctx.args, "dest"));
  const text = await readFile(src, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (text === null) return failedWith("error", `template not found: ${srcArg}`);
  const rendered = ctx.renderTemplate(text, optRecord(ctx.args, "vars") ?? {});
  if (!rendered.ok) {
    const { line, column } = lineColumn(text, rendered.error.offset);
    return failedWith("error", `${srcArg}:${line}:${column}: ${rendered.error.message}`);
  }
  const content = Buffer.from(rendered.value, "utf8");
  const attrs = await wantedAttrs(ctx.args, ctx.fs);
  return writeContent(ctx.fs, ctx.args, dest, content, attrs, dry, { src, dest });
}

/** 1-based line and column of a character offset, for error messages users can jump to. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - nl };
}
