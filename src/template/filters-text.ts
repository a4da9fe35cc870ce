/**
 * String filters: case, trimming, replacing, splitting, regular expressions, paths,
 * base64, hashes and POSIX shell quoting.
 */
import { createHash } from "node:crypto";
import { bool, iterable, optNum, optStr, str } from "./coerce.js";
import { fail } from "./errors.js";
import { checkCharacters, joinChecked } from "./limits.js";
import { dictFrom, envGet } from "./plain.js";
import { printf } from "./printf.js";
import {
  allMatches,
  compile,
  expandTemplate,
  type RegexMatch,
  replaceMatches,
  search,
} from "./regex.js";
import type { Definition } from "./registry.js";
import { toDisplayString } from "./values.js";

const text = (name: string, fn: (s: string) => unknown): Definition => ({
  params: [],
  fn: ({ input }) => fn(str(input, `filter '${name}'`)),
});

/** As Jinja: a number or boolean is cased as it prints (`True | lower` is "true"). */
const printable = (name: string, fn: (s: string) => unknown): Definition => ({
  params: [],
  fn: ({ input }) =>
    fn(
      typeof input === "number" || typeof input === "boolean"
        ? toDisplayString(input)
        : str(input, `filter '${name}'`),
    ),
});

/** Python `str.split(sep, maxsplit)`: no separator splits on runs of whitespace. */
export function pySplit(s: string, sep: string | null, maxsplit: number): string[] {
  if (sep === null) {
    const words = s
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    if (maxsplit < 0 || words.length <= maxsplit) return words;
    const out: string[] = [];
    let rest = s.trimStart();
    for (let i = 0; i < maxsplit; i++) {
      const m = /\s+/.exec(rest);
      if (!m) break;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return [...out, rest];
  }
  if (sep === "") fail("value", "empty separator");
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

/** Python `str.strip(chars)`. */
export function pyStrip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const inSet = (c: string): boolean => (chars === null ? /\s/.test(c) : chars.includes(c));
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  while (left && a < b && inSet(cs[a] ?? "")) a++;
  while (right && b > a && inSet(cs[b - 1] ?? "")) b--;
  return cs.slice(a, b).join("");
}

/** Python `str.replace(old, new, count)`. */
export function pyReplace(s: string, old: string, repl: string, count: number): string {
  const parts = s.split(old);
  if (count < 0) return joinChecked(parts, repl);
  const head = joinChecked(parts.slice(0, count + 1), repl);
  return parts.length <= count + 1 ? head : [head, ...parts.slice(count + 1)].join(old);
}

/** Python `str.title()`: upper-case the first letter of every run of letters. */
export function pyTitle(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** Python's `shlex.quote`: safe words as is, anything else in single quotes. */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function dirname(p: string): string {
  const i = p.lastIndexOf("/") + 1;
  const head = p.slice(0, i);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, "");
}

function regexSearch(s: string, args: unknown[], rest: unknown[]): unknown {
  const re = compile(str(args[0], "filter 'regex_search'"), {
    ignorecase: args[1] === true,
    multiline: args[2] === true,
  });
  const m = search(re, s);
  if (!m) return null;
  if (rest.length === 0) return m[0];
  return rest.map((g) => {
    const ref = str(g, "filter 'regex_search' group");
    return expandTemplate(ref, m);
  });
}

const HASHES = new Set(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]);

export const TEXT_FILTERS: Record<string, Definition> = {
  upper: printable("upper", (s) => s.toUpperCase()),
  lower: printable("lower", (s) => s.toLowerCase()),
  title: text("title", pyTitle),
  capitalize: text("capitalize", capitalize),
  trim: {
    params: ["chars"],
    fn: ({ input, args }) =>
      pyStrip(str(input, "filter 'trim'"), optStrOrNull(args[0]), true, true),
  },
  replace: {
    params: ["old", "new", "count"],
    fn: ({ input, args }) =>
      pyReplace(
        toDisplayString(input),
        str(args[0], "filter 'replace'"),
        str(args[1], "filter 'replace'"),
        optNum(args[2], "filter 'replace'", -1),
      ),
  },
  split: {
    params: ["sep", "maxsplit"],
    fn: ({ input, args }) =>
      pySplit(
        str(input, "filter 'split'"),
        optStrOrNull(args[0]),
        optNum(args[1], "filter 'split'", -1),
      ),
  },
  wordcount: text("wordcount", (s) => (s.match(/\w+/gu) ?? []).length),
  format: {
    params: [],
    variadic: true,
    keywords: true,
    fn: ({ input, rest, named }) => {
      const s = str(input, "filter 'format'");
      if (named === undefined || named.length === 0) return printf(s, rest, true);
      if (rest.length > 0)
        fail("type", "filter 'format' takes positional or keyword arguments, not both");
      return printf(s, dictFrom(named), false);
    },
  },
  indent: {
    params: ["width", "first", "blank"],
    fn: ({ input, args }) => {
      const width = typeof args[0] === "string" ? 0 : optNum(args[0], "filter 'indent'", 4);
      checkCharacters(width);
      const pad = typeof args[0] === "string" ? args[0] : " ".repeat(width);
      const lines = str(input, "filter 'indent'").split("\n");
      checkCharacters(lines.length * pad.length);
      return lines
        .map((l, i) =>
          (i > 0 || bool(args[1], false)) && (l !== "" || bool(args[2], false)) ? pad + l : l,
        )
        .join("\n");
    },
  },
  regex_replace: {
    params: ["pattern", "replacement", "ignorecase", "multiline", "count"],
    fn: ({ input, args }) => {
      const re = compile(str(args[0], "filter 'regex_replace'"), {
        ignorecase: args[2] === true,
        multiline: args[3] === true,
      });
      const template = optStr(args[1], "filter 'regex_replace'", "");
      const limit = optNum(args[4], "filter 'regex_replace'", 0);
      const s = str(input, "filter 'regex_replace'");
      const expand = (m: RegexMatch): string => expandTemplate(template, m);
      // Python's count=0 replaces every match.
      return replaceMatches(re, s, expand, limit > 0 ? limit : null, checkCharacters).text;
    },
  },
  regex_search: {
    params: ["pattern"],
    kwonly: ["ignorecase", "multiline"],
    variadic: true,
    fn: ({ input, args, rest }) => regexSearch(str(input, "filter 'regex_search'"), args, rest),
  },
  regex_findall: {
    params: ["pattern", "ignorecase", "multiline"],
    fn: ({ input, args }) => {
      const re = compile(str(args[0], "filter 'regex_findall'"), {
        ignorecase: args[1] === true,
        multiline: args[2] === true,
      });
      return Array.from(allMatches(re, str(input, "filter 'regex_findall'")), (m) =>
        m.length === 1
          ? m[0]
          : m.length === 2
            ? (m[1] ?? "")
            : Array.from({ length: m.length - 1 }, (_, i) => m[i + 1] ?? ""),
      );
    },
  },
  regex_escape: text("regex_escape", (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")),
  basename: text("basename", basename),
  dirname: text("dirname", dirname),
  expanduser: {
    params: [],
    fn: ({ input, ctx }) => {
      const p = str(input, "filter 'expanduser'");
      const home = envGet(ctx.env, "HOME");
      if (home === undefined || !(p === "~" || p.startsWith("~/"))) return p;
      return home + p.slice(1);
    },
  },
  path_join: {
    params: [],
    fn: ({ input }) =>
      iterable(input, "filter 'path_join'").reduce<string>((acc, part) => {
        const p = str(part, "filter 'path_join'");
        if (p.startsWith("/") || acc === "") return p;
        return acc.endsWith("/") ? acc + p : `${acc}/${p}`;
      }, ""),
  },
  b64encode: text("b64encode", (s) => Buffer.from(s, "utf8").toString("base64")),
  b64decode: text("b64decode", (s) => Buffer.from(s, "base64").toString("utf8")),
  hash: {
    params: ["algorithm"],
    fn: ({ input, args }) => {
      const algorithm = optStr(args[0], "filter 'hash'", "sha1");
      if (!HASHES.has(algorithm)) fail("value", `unsupported hash algorithm '${algorithm}'`);
      return createHash(algorithm).update(toDisplayString(input), "utf8").digest("hex");
    },
  },
  checksum: text("checksum", (s) => createHash("sha1").update(s, "utf8").digest("hex")),
  quote: { params: [], fn: ({ input }) => shellQuote(toDisplayString(input)) },
};

function optStrOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : str(v, "separator");
}
