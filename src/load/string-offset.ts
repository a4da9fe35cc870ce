/**
 * Maps an offset in a parsed string back to an offset in the YAML source, for errors
 * inside templates (`{{ undefined_var }}` at its exact column). Each source line of the
 * scalar is decoded on its own (escapes, `''`, indentation), with the source offset of
 * every decoded character; the decoded lines are then found, in order, in the value.
 */
import { Scalar } from "yaml";

interface DecodedLine {
  text: string;
  /** Source offset of each character of `text`. */
  offsets: number[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

function decodeDoubleQuoted(src: string, base: number, out: DecodedLine): void {
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "\\" && i + 1 >= src.length) return;
    if (ch !== "\\") {
      out.text += ch;
      out.offsets.push(base + i);
      continue;
    }
    const kind = src[i + 1]!;
    const hexLength = HEX_ESCAPE_LENGTH[kind];
    const decoded =
      hexLength === undefined
        ? (SIMPLE_ESCAPES[kind] ?? kind)
        : String.fromCodePoint(Number.parseInt(src.slice(i + 2, i + 2 + hexLength), 16) || 0xfffd);
    for (let k = 0; k < decoded.length; k++) out.offsets.push(base + i);
    out.text += decoded;
    i += 1 + (hexLength ?? 0);
  }
}

function decodeSingleQuoted(src: string, base: number, out: DecodedLine): void {
  for (let i = 0; i < src.length; i++) {
    out.text += src[i]!;
    out.offsets.push(base + i);
    if (src[i] === "'" && src[i + 1] === "'") i++;
  }
}

function decodePlain(src: string, base: number, out: DecodedLine): void {
  out.text += src;
  for (let i = 0; i < src.length; i++) out.offsets.push(base + i);
}

/** The source lines of a scalar as [start, end) offsets of their content. */
function contentLines(type: Scalar["type"], text: string, start: number, end: number) {
  const spans: [number, number][] = [];
  const block = type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED;
  let from = start;
  if (block) {
    const header = text.indexOf("\n", start);
    if (header === -1 || header >= end) return spans;
    from = header + 1;
  } else if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) {
    from = start + 1;
    end = Math.max(from, end - 1);
  }
  let indent = -1;
  for (let lineStart = from; lineStart < end; ) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    let s = lineStart;
    if (block) {
      const leading = /^ */.exec(text.slice(lineStart, lineEnd))?.[0].length ?? 0;
      if (indent === -1 && leading < lineEnd - lineStart) indent = leading;
      s = lineStart + Math.min(leading, Math.max(indent, 0));
    } else if (lineStart !== from) {
      while (s < lineEnd && (text[s] === " " || text[s] === "\t")) s++;
    }
    let e = lineEnd;
    if (!block) while (e > s && (text[e - 1] === " " || text[e - 1] === "\t")) e--;
    spans.push([s, e]);
    lineStart = lineEnd + 1;
  }
  return spans;
}

/**
 * Source offsets [start, end) of `value[offset, offset+length)` for the scalar whose
 * source is `text[start, end)`, or null when the value cannot be aligned.
 */
export function sourceRangeInScalar(
  type: Scalar["type"],
  value: string,
  text: string,
  start: number,
  end: number,
  offset: number,
  length: number,
): [number, number] | null {
  const decode =
    type === Scalar.QUOTE_DOUBLE
      ? decodeDoubleQuoted
      : type === Scalar.QUOTE_SINGLE
        ? decodeSingleQuoted
        : decodePlain;
  let cursor = 0;
  for (const [s, e] of contentLines(type, text, start, end)) {
    const line: DecodedLine = { text: "", offsets: [] };
    decode(text.slice(s, e), s, line);
    if (line.text === "") continue;
    const at = value.indexOf(line.text, cursor);
    if (at === -1) return null;
    cursor = at + line.text.length;
    if (offset >= at && offset < cursor) {
      const first = line.offsets[offset - at]!;
      const lastIndex = Math.min(offset + Math.max(length, 1), cursor) - 1 - at;
      return [first, line.offsets[lastIndex]! + 1];
    }
    if (offset < at) return [line.offsets[0]!, line.offsets[0]! + 1];
  }
  return null;
}
