/**
 * Playbook regexes are written for Python (Ansible) or Go (mooncake); this maps the
 * differences that matter onto JavaScript RegExp: `(?P<n>...)`, `(?P=n)`, and
 * replacement backreferences `\1`, `\g<1>`, `\g<name>`, `${name}`, `$1`.
 */
import { ArgError } from "./args.js";

export function compileRegex(pattern: string, flags: string): RegExp {
  const js = pattern.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  try {
    return new RegExp(js, flags);
  } catch (e) {
    throw new ArgError(`invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
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
export function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$<(\w+)>|\$\$/g, (_tok, group: string | undefined) => {
    if (group === undefined) return "$";
    return (/^\d+$/.test(group) ? m[Number(group)] : m.groups?.[group]) ?? "";
  });
}
