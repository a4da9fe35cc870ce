/**
 * The expression lexer. It tokenizes from any offset of a source string and, inside a
 * template tag, stops at the closing `}}` or `%}` only at bracket depth 0, so that a
 * dict literal like `{{ {'a': {'b': 1}} }}` is read whole. Offsets are absolute.
 */
import { failAt } from "./errors.js";

export type TokenKind = "name" | "int" | "float" | "string" | "op" | "end";

export interface Token {
  kind: TokenKind;
  /** The name, operator, or decoded string value. */
  text: string;
  /** Numeric value of int and float tokens. */
  num: number;
  start: number;
  end: number;
}

/** What closes the token stream: end of input, `}}` of an output tag, or `%}` of a block tag. */
export type Closer = "eof" | "var" | "block";

export interface Lexed {
  tokens: Token[];
  /** Offset just after the closing delimiter (or the source length for `eof`). */
  next: number;
  /** The closer had a `-`: strip whitespace that follows it. */
  trimAfter: boolean;
  /** A block closer had a `+` (`+%}`): keep the newline that trim_blocks would drop. */
  keepAfter: boolean;
}

const OPERATORS = [
  "**",
  "//",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "+",
  "-",
  "*",
  "/",
  "%",
  "~",
  "<",
  ">",
  "!",
  "|",
  ".",
  ",",
  ":",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "=",
];

const ESCAPES = new Map<string, string>([
  ["n", "\n"],
  ["t", "\t"],
  ["r", "\r"],
  ["0", "\0"],
  ["\\", "\\"],
  ["'", "'"],
  ['"', '"'],
  ["a", "\x07"],
  ["b", "\b"],
  ["f", "\f"],
  ["v", "\v"],
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isNameStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_");
const isNameChar = (c: string | undefined): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\n" || c === "\r";

export function lex(src: string, from: number, closer: Closer): Lexed {
  const tokens: Token[] = [];
  let depth = 0;
  let i = from;
  const close = closer === "var" ? "}}" : "%}";
  for (;;) {
    while (isSpace(src[i])) i++;
    if (i >= src.length) {
      if (closer !== "eof") {
        failAt("syntax", `unclosed tag: expected '${close}'`, from - 2, 2);
      }
      tokens.push({ kind: "end", text: "", num: 0, start: i, end: i });
      return { tokens, next: i, trimAfter: false, keepAfter: false };
    }
    if (closer !== "eof" && depth === 0) {
      const trim = src[i] === "-" && src.startsWith(close, i + 1);
      // Jinja2 has `+%}` (and `+#}`) but no `+}}`.
      const keep = closer === "block" && src[i] === "+" && src.startsWith(close, i + 1);
      if (trim || keep || src.startsWith(close, i)) {
        tokens.push({ kind: "end", text: "", num: 0, start: i, end: i });
        return { tokens, next: i + (trim || keep ? 3 : 2), trimAfter: trim, keepAfter: keep };
      }
    }
    const c = src[i];
    const start = i;
    if (isNameStart(c)) {
      while (isNameChar(src[i])) i++;
      tokens.push({ kind: "name", text: src.slice(start, i), num: 0, start, end: i });
    } else if (isDigit(c)) {
      i = lexNumber(src, i, tokens);
    } else if (c === "'" || c === '"') {
      i = lexString(src, i, tokens);
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (op === undefined) failAt("syntax", `unexpected character '${c}'`, i, 1);
      if (op === "(" || op === "[" || op === "{") depth++;
      else if (op === ")" || op === "]" || op === "}") depth = Math.max(0, depth - 1);
      i += op.length;
      tokens.push({ kind: "op", text: op, num: 0, start, end: i });
    }
  }
}

function lexNumber(src: string, start: number, tokens: Token[]): number {
  let i = start;
  while (isDigit(src[i])) i++;
  let float = false;
  if (src[i] === "." && isDigit(src[i + 1])) {
    float = true;
    i++;
    while (isDigit(src[i])) i++;
  }
  if (src[i] === "e" || src[i] === "E") {
    const sign = src[i + 1] === "+" || src[i + 1] === "-" ? 1 : 0;
    if (isDigit(src[i + 1 + sign])) {
      float = true;
      i += 1 + sign;
      while (isDigit(src[i])) i++;
    }
  }
  const text = src.slice(start, i);
  tokens.push({ kind: float ? "float" : "int", text, num: Number(text), start, end: i });
  return i;
}

function lexString(src: string, start: number, tokens: Token[]): number {
  const quote = src[start];
  let i = start + 1;
  let out = "";
  for (;;) {
    const c = src[i];
    if (c === undefined) failAt("syntax", "unterminated string", start, 1);
    if (c === quote) break;
    if (c === "\\") {
      const e = src[i + 1];
      if (e === undefined) failAt("syntax", "unterminated string", start, 1);
      const simple = ESCAPES.get(e);
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === "x" || e === "u" || e === "U") {
        const width = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = src.slice(i + 2, i + 2 + width);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) {
          failAt("syntax", `bad \\${e} escape`, i, 2 + hex.length);
        }
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) failAt("syntax", `bad \\${e} escape`, i, 2 + width);
        out += String.fromCodePoint(code);
        i += 2 + width;
      } else {
        // Python keeps unknown escapes as written: '\d' is backslash + d (regexes rely on it).
        out += `\\${e}`;
        i += 2;
      }
    } else {
      out += c;
      i++;
    }
  }
  tokens.push({ kind: "string", text: out, num: 0, start, end: i + 1 });
  return i + 1;
}
