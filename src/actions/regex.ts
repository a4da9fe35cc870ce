/**
 * Playbook regexes in actions are written for Python (Ansible) or Go (mooncake); they
 * run on the template engine's RE2 (linear time: a hostile pattern cannot hang a
 * run). This maps the replacement syntaxes onto one: backreferences `\1`, `\g<1>`,
 * `\g<name>`, `${name}`, `$1`.
 */
import type { RE2JS } from "re2js";
import { compileRegex as compileRe2, type RegexFlags, type RegexMatch } from "../template/index.js";
import { ArgError } from "./args.js";

/** Compile a playbook pattern; a refusal (syntax, or a construct RE2 lacks) is an argument error. */
export function compileRegex(pattern: string, flags: RegexFlags = {}): RE2JS {
  const re = compileRe2(pattern, flags);
  if (typeof re === "string") throw new ArgError(re);
  return re;
}

/**
 * Converts a Python/Go replacement string to one template syntax for `expand`:
 * `$<1>` / `$<name>` for groups (unambiguous before digits: `\g<1>0`), `$$` for `$`.
 */
export function normalizeReplacement(repl: string): string {
  return repl.replace(/\\g<(\w+)>|\\(\d+)|\\\\|\$\{(\w+)\}|\$(\d+)|\$/g, (m, g, n, braced, goN) => {
    const group = g ?? n ?? braced ?? goN;
    if (group !== undefined) return `$<${group}>`;
    return m === "\\\\" ? "\\" : "$$";
  });
}

/** A literal replacement: no group references at all. */
export function literalReplacement(repl: string): string {
  return repl.replace(/\$/g, "$$$$");
}

/** Expands `$<n>`, `$<name>` and `$$` (see normalizeReplacement) against one match. */
export function expand(template: string, m: RegexMatch): string {
  return template.replace(/\$<(\w+)>|\$\$/g, (_tok, group: string | undefined) => {
    if (group === undefined) return "$";
    return (/^\d+$/.test(group) ? m[Number(group)] : m.groups?.[group]) ?? "";
  });
}
