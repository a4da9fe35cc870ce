/**
 * `lineinfile`: ensures one line is present (replacing the last line matching
 * `regexp`, else inserted after `insertafter` / before `insertbefore`, else at the
 * end) or absent (every line matching `regexp`, or equal to `line`). Ansible
 * semantics; mooncake's `insert_after`/`insert_before` spellings are accepted.
 */
import type { RE2JS } from "re2js";
import { ArgError, optBool, optString, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith, succeeded } from "./outcome.js";
import { targetPath } from "./paths.js";
import { compileRegex } from "./regex.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const lineinfile: ActionHandler = {
  name: "lineinfile",
  runsProcess: false,
  check: (ctx) => runLineInFile(ctx, true),
  apply: (ctx) => runLineInFile(ctx, false),
};

async function runLineInFile(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const a = ctx.args;
  const path = await targetPath(ctx, reqString(a, "path"));
  const state = optString(a, "state") ?? "present";
  if (state !== "present" && state !== "absent")
    throw new ArgError("'state' must be present or absent");
  const pattern = optString(a, "regexp");
  const re = pattern === null ? null : compileRegex(pattern);
  const line = optString(a, "line");

  const exists = (await ctx.fs.stat(path)) !== null;
  if (!exists && !(state === "present" && optBool(a, "create", false))) {
    if (state === "absent") return succeeded(false, { path });
    return failedWith("error", `${path} does not exist (use create: true to create it)`);
  }
  const text = exists ? (await ctx.fs.readFile(path)).toString("utf8") : "";
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  let next: string[];
  if (state === "absent") {
    if (re === null && line === null) throw new ArgError("'regexp' or 'line' is required");
    next = lines.filter((l) => !(re === null ? l === line : re.test(l)));
  } else {
    if (line === null) throw new ArgError("'line' is required");
    next = present(
      lines,
      line,
      re,
      optString(a, "insertafter") ?? optString(a, "insert_after"),
      optString(a, "insertbefore") ?? optString(a, "insert_before"),
    );
  }
  const out = next.length === 0 ? "" : `${next.join("\n")}\n`;
  // An untouched file keeps its exact bytes (e.g. a missing final newline).
  const content = next.length === lines.length && next.every((l, i) => l === lines[i]) ? text : out;
  const attrs = await wantedAttrs(a, ctx.fs);
  return writeContent(ctx.fs, a, path, Buffer.from(content, "utf8"), attrs, dry, {});
}

function present(
  lines: string[],
  line: string,
  re: RE2JS | null,
  after: string | null,
  before: string | null,
): string[] {
  const matchAt = re === null ? -1 : findLast(lines, (l) => re.test(l));
  if (matchAt !== -1) return lines.map((l, i) => (i === matchAt ? line : l));
  if (lines.includes(line)) return lines;
  const at = insertionPoint(lines, after, before);
  return [...lines.slice(0, at), line, ...lines.slice(at)];
}

function insertionPoint(lines: string[], after: string | null, before: string | null): number {
  if (before !== null) {
    if (before === "BOF") return 0;
    const i = findLast(lines, (l) => compileRegex(before).test(l));
    return i === -1 ? lines.length : i;
  }
  if (after !== null && after !== "EOF") {
    const i = findLast(lines, (l) => compileRegex(after).test(l));
    return i === -1 ? lines.length : i + 1;
  }
  return lines.length;
}

function findLast(lines: string[], pred: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pred(lines[i] as string)) return i;
  return -1;
}
