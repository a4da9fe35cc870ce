/**
 * `template`: renders a Jinja2 file (`src`, relative to the root playbook) with the
 * step's variables plus `vars`, and writes it to `dest` like `file` with content.
 * The renderer comes from the context, so this module does not depend on src/template.
 */
import { readFile } from "node:fs/promises";
import { optRecord, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith } from "./outcome.js";
import { resolvePath } from "./paths.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { lstatOrNull } from "./write-file.js";

export const template: ActionHandler = {
  name: "template",
  runsProcess: false,
  check: (ctx) => runTemplate(ctx, true),
  apply: (ctx) => runTemplate(ctx, false),
};

async function runTemplate(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const srcArg = reqString(ctx.args, "src");
  const src = resolvePath(ctx.rootDir, srcArg);
  const dest = resolvePath(ctx.rootDir, reqString(ctx.args, "dest"));
  if ((await lstatOrNull(src)) === null)
    return failedWith("error", `template not found: ${srcArg}`);
  const text = await readFile(src, "utf8");
  const rendered = ctx.renderTemplate(text, optRecord(ctx.args, "vars") ?? {});
  if (!rendered.ok) {
    const { line, column } = lineColumn(text, rendered.error.offset);
    return failedWith("error", `${srcArg}:${line}:${column}: ${rendered.error.message}`);
  }
  const content = Buffer.from(rendered.value, "utf8");
  return writeContent(ctx.args, dest, content, await wantedAttrs(ctx.args), dry, { src, dest });
}

/** 1-based line and column of a character offset, for error messages users can jump to. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - nl };
}
