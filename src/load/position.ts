/** Offsets in the source text → `SourcePos` (1-based line and column, underline length). */
import type { LineCounter } from "yaml";
import type { SourcePos } from "../model/index.js";

/** The position of `start`, underlining up to `end` but never past the end of that line. */
export function toPos(
  file: string,
  text: string,
  lines: LineCounter,
  start: number,
  end: number,
): SourcePos {
  const { line, col } = lines.linePos(start);
  const newline = text.indexOf("\n", start);
  const lineEnd = newline === -1 ? text.length : newline;
  const stop = Math.min(Math.max(end, start + 1), Math.max(lineEnd, start + 1));
  return { file, line: Math.max(line, 1), column: Math.max(col, 1), length: stop - start };
}
