/**
 * `replace` (mooncake `file_replace`): regex search-and-replace in an existing file.
 * Takes Ansible's `regexp` or mooncake's `pattern`; `^`/`$` match at line boundaries,
 * as Ansible's MULTILINE. No match is no change, unless mooncake's
 * `allow_no_match: false` is given.
 */
import { readFile } from "node:fs/promises";
import { ArgError, optBool, optNumber, optRecord, optString, reqString } from "./args.js";
import { writeContent } from "./content-action.js";
import { wantedAttrs } from "./file-attrs-args.js";
import { failedWith } from "./outcome.js";
import { resolvePath } from "./paths.js";
import { compileRegex, expand, literalReplacement, normalizeReplacement } from "./regex.js";
import type { ActionContext, ActionHandler, ActionOutcome } from "./types.js";
import { statOrNull } from "./write-file.js";

export const replace: ActionHandler = {
  name: "replace",
  runsProcess: false,
  check: (ctx) => runReplace(ctx, true),
  apply: (ctx) => runReplace(ctx, false),
};

async function runReplace(ctx: ActionContext, dry: boolean): Promise<ActionOutcome> {
  const path = resolvePath(ctx.rootDir, reqString(ctx.args, "path"));
  const pattern = optString(ctx.args, "regexp") ?? optString(ctx.args, "pattern");
  if (pattern === null || pattern === "") throw new ArgError("'regexp' (or 'pattern') is required");
  const flagArgs = optRecord(ctx.args, "flags") ?? {};
  const literal = !optBool(flagArgs, "regex", true);
  const flags = `g${optBool(flagArgs, "multiline", true) ? "m" : ""}${optBool(flagArgs, "case_insensitive", false) ? "i" : ""}`;
  const re = compileRegex(literal ? escapeRegex(pattern) : pattern, flags);
  const repl = optString(ctx.args, "replace") ?? "";
  const replacement = literal ? literalReplacement(repl) : normalizeReplacement(repl);
  const limit = optNumber(ctx.args, "count");

  if ((await statOrNull(path)) === null) return failedWith("error", `${path} does not exist`);
  const before = await readFile(path, "utf8");
  const { text: after, count: n } = replaceAll(before, re, replacement, limit);
  if (n === 0 && ctx.args.allow_no_match === false) {
    return failedWith("error", `pattern '${pattern}' did not match in ${path}`);
  }
  return writeContent(
    ctx.args,
    path,
    Buffer.from(after, "utf8"),
    await wantedAttrs(ctx.args),
    dry,
    {
      replacements: n,
    },
  );
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Like String.replace with a global regex, but stopping after `limit` matches. */
function replaceAll(
  text: string,
  re: RegExp,
  replacement: string,
  limit: number | null,
): { text: string; count: number } {
  let out = "";
  let last = 0;
  let count = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && (limit === null || count < limit); m = re.exec(text)) {
    out += text.slice(last, m.index) + expand(replacement, m);
    last = m.index + m[0].length;
    count++;
    // An empty match would match again at the same place forever.
    if (m[0] === "") re.lastIndex++;
  }
  return { text: out + text.slice(last), count };
}
