/**
 * Python regular expressions on JavaScript's engine: translates the syntax that differs
 * (`(?P<name>…)`, `(?P=name)`, `\A`, `\Z`, leading inline flags) and Python replacement
 * templates (`\1`, `\g<name>`). Compiled patterns are cached, bounded.
 */
import { fail } from "./errors.js";

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 500;

export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  /** JavaScript flags to add: `g` for replace-all, `y` for Python's anchored `match`. */
  extra?: string;
}

export function compile(pattern: string, flags: RegexFlags = {}): RegExp {
  let source = pattern;
  let f = (flags.ignorecase ? "i" : "") + (flags.multiline ? "m" : "") + (flags.extra ?? "");
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const c of inline[1] ?? "") if ("ims".includes(c) && !f.includes(c)) f += c;
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$");
  const key = `${f}/${source}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let re: RegExp;
  try {
    re = new RegExp(source, f);
  } catch (e) {
    return fail("value", `invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, re);
  return re;
}

/** Expand a Python replacement template (`\1`, `\g<1>`, `\g<name>`, `\\`) for one match. */
export function expandTemplate(template: string, m: RegExpExecArray | RegExpMatchArray): string {
  return template.replace(
    /\\(?:g<(\w+)>|(\d{1,2})|(.))/g,
    (_all, g: string, d: string, c: string) => {
      if (c !== undefined)
        return c === "n" ? "\n" : c === "t" ? "\t" : c === "\\" ? "\\" : `\\${c}`;
      const ref = g ?? d;
      const value = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
      if (
        value === undefined &&
        !/^\d+$/.test(ref) &&
        !(m.groups && Object.hasOwn(m.groups, ref))
      ) {
        fail("value", `unknown group name '${ref}' in replacement`);
      }
      return value ?? "";
    },
  );
}
