/**
 * Regular expressions from playbooks run on RE2 (`re2js`, pure JavaScript): matching
 * takes linear time, so `(a+)+$` cannot hang a plan the way V8's backtracking engine
 * does. Python's syntax mostly carries over (`(?P<name>…)`, `\A`, inline `(?i)`);
 * `\Z` is translated; what RE2 leaves out (lookaround, backreferences in the pattern)
 * is an error saying so. Python replacement templates (`\1`, `\g<name>`) are expanded
 * here. Compiled patterns are cached, bounded.
 *
 * re2js (187 kB) is required on the first pattern, not imported: most plans use no
 * regular expression, and compiling it was a sixth of what `cairn plan` loads. A
 * synchronous require, because rendering is synchronous; the bundle leaves it to Node.
 */
import { createRequire } from "node:module";
import type { RE2JS } from "re2js";
import { fail } from "./errors.js";

export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
}

/** One match, shaped like JavaScript's: groups by number, `index`, named `groups`. */
export interface RegexMatch {
  readonly [group: number]: string | undefined;
  readonly length: number;
  index?: number;
  groups?: Record<string, string | undefined>;
}

const cache = new Map<string, RE2JS>();
let engine: typeof RE2JS | null = null;
const re2 = (): typeof RE2JS =>
  (engine ??= (createRequire(import.meta.url)("re2js") as typeof import("re2js")).RE2JS);
const CACHE_LIMIT = 500;

/** Constructs RE2 refuses, found in the pattern text to say why it failed. */
const UNSUPPORTED: [RegExp, string][] = [
  [/\(\?[=!]/, "lookahead"],
  [/\(\?<[=!]/, "lookbehind"],
  [/\\[1-9]|\(\?P=/, "backreferences in the pattern"],
  [/\(\?>/, "atomic groups"],
  [/[*+?}][+]/, "possessive quantifiers"],
];

/** Compile, or give the reason the pattern is refused. */
export function compileRegex(pattern: string, flags: RegexFlags = {}): RE2JS | string {
  const RE2 = re2();
  const bits =
    (flags.ignorecase ? RE2.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2.MULTILINE : 0);
  const key = `${bits}/${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let re: RE2JS;
  try {
    // Python's `\Z` is RE2's `\z` (end of text); `\\Z` is an escaped backslash and a Z.
    re = RE2.compile(pattern.replace(/(?<!\\)((?:\\\\)*)\\Z/g, "$1\\z"), bits);
  } catch (e) {
    const found = UNSUPPORTED.find(([marker]) => marker.test(pattern));
    const reason = (e as Error).message.replace(/^error parsing regexp: /, "");
    return found === undefined
      ? `invalid regular expression '${pattern}': ${reason}`
      : `regular expression '${pattern}' uses ${found[1]}, which RE2 (the linear-time engine cairn uses) does not support`;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, re);
  return re;
}

/** `compileRegex` for the template engine: a refusal is a value error at the call site. */
export function compile(pattern: string, flags: RegexFlags = {}): RE2JS {
  const re = compileRegex(pattern, flags);
  return typeof re === "string" ? fail("value", re) : re;
}

/** The first match anywhere in `s` (Python `re.search`). */
export function search(re: RE2JS, s: string): RegexMatch | null {
  return re.exec(s) as RegexMatch | null;
}

/** Every match, left to right, empty ones included as Python's `re.finditer` gives them. */
export function allMatches(re: RE2JS, s: string): Iterable<RegexMatch> {
  return re.matchAll(s) as Iterable<RegexMatch>;
}

/**
 * Replace up to `limit` matches (all when `limit` is null) with what `expand`
 * gives for each; `checkSize` sees the result's length as it grows (templates refuse
 * past their limit, a file edit has none).
 */
export function replaceMatches(
  re: RE2JS,
  s: string,
  expand: (m: RegexMatch) => string,
  limit: number | null,
  checkSize: (n: number) => void = () => undefined,
): { text: string; count: number } {
  const parts: string[] = [];
  let size = 0;
  let last = 0;
  let count = 0;
  for (const m of allMatches(re, s)) {
    if (limit !== null && count >= limit) break;
    const at = m.index ?? 0;
    const piece = s.slice(last, at) + expand(m);
    size += piece.length;
    checkSize(size);
    parts.push(piece);
    last = at + (m[0] ?? "").length;
    count++;
  }
  parts.push(s.slice(last));
  checkSize(size + s.length - last);
  return { text: parts.join(""), count };
}

/** Expand a Python replacement template (`\1`, `\g<1>`, `\g<name>`, `\\`) for one match. */
export function expandTemplate(template: string, m: RegexMatch): string {
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
