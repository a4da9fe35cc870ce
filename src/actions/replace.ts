/**
 * `replace` (mooncake `file_replace`): regex search-and-replace in an existing file.
 * Takes Ansible's `regexp` or mooncake's `pattern`; `^`/`$` match at line boundaries,
 * as Ansible's MULTILINE. No match is no change, unless mooncake's
 * `allow_no_match: false` is given.
 */
import { ArgError, optBool, optNumber, optRecord, optString, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith } from "./outcome.js";
import { targetPath } from "./paths.js";
import { replaceMatches } from "../template/index.js";
import { compileRegex, expand, literalReplacement, normalizeReplacement } from "./regex.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";

export const replace: ActionHandler = {
  name: "replace",
  runsProcess: false,
  check: (ctx) => runReplace(ctx, true),
  apply: (ctx) => runReplace(ctx, false),
};

async function runReplace(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const path = await targetPath(ctx, reqString(ctx.args, "path"));
  const pattern = optString(ctx.args, "regexp") ?? optString(ctx.args, "pattern");
  if (pattern === null || pattern === "") throw new ArgError("'regexp' (or 'pattern') is required");
  const flagArgs = optRecord(ctx.args, "flags") ?? {};
  const literal = !optBool(flagArgs, "regex", true);
  const re = compileRegex(literal ? escapeRegex(pattern) : pattern, {
    multiline: optBool(flagArgs, "multiline", true),
    ignorecase: optBool(flagArgs, "case_insensitive", false),
  });
  const repl = optString(ctx.args, "replace") ?? "";
  const replacement = literal ? literalReplacement(repl) : normalizeReplacement(repl);
  const limit = optNumber(ctx.args, "count");

  if ((await ctx.fs.stat(path)) === null) return failedWith("error", `${path} does not exist`);
  const before = (await ctx.fs.readFile(path)).toString("utf8");
  const { text: after, count: n } = replaceMatches(
    re,
    before,
    (m) => expand(replacement, m),
    limit,
  );
  if (n === 0 && ctx.args.allow_no_match === false) {
    return failedWith("error", `pattern '${pattern}' did not match in ${path}`);
  }
  const attrs = await wantedAttrs(ctx.args, ctx.fs);
  const content = Buffer.from(after, "utf8");
  return writeContent(ctx.fs, ctx.args, path, content, attrs, dry, { replacements: n });
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
