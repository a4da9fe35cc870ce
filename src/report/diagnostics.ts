/**
 * The diagnostics printer every command uses: `file:line:col: error: message`, the
 * source line with a `^~~~` underline, the hint and the include chain. Returns strings;
 * the caller writes them. Colors (node:util styleText) only when asked.
 */
import { styleText } from "node:util";
import type { Diagnostic, SourcePos } from "../model/index.js";

export interface FormatOptions {
  color: boolean;
}

/** Returns the text of a source file (relative path, as in `SourcePos.file`), if known. */
export type SourceLookup = (path: string) => string | undefined;

type Style = Parameters<typeof styleText>[0];

const TAB_WIDTH = 4;

const where = (pos: SourcePos): string => `${pos.file}:${pos.line}:${pos.column}`;

function sourceLine(text: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf("\n", start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, "");
}

/** Display width of `s` starting at display column `from` (tabs jump to the next stop). */
function width(s: string, from = 0): number {
  let col = from;
  for (const ch of s) col = ch === "\t" ? col + TAB_WIDTH - (col % TAB_WIDTH) : col + 1;
  return col - from;
}

function expandTabs(s: string): string {
  let out = "";
  for (const ch of s) out += ch === "\t" ? " ".repeat(TAB_WIDTH - (width(out) % TAB_WIDTH)) : ch;
  return out;
}

/** The gutter, source line and underline, or nothing when the line is unknown. */
function excerpt(
  pos: SourcePos,
  text: string | undefined,
  paint: (s: Style, t: string) => string,
): string[] {
  if (text === undefined) return [];
  const line = sourceLine(text, pos.line);
  if (line === undefined) return [];
  const number = String(pos.line);
  const gutter = " ".repeat(number.length);
  const startIndex = Math.min(Math.max(pos.column - 1, 0), line.length);
  const length = Math.max(1, Math.min(pos.length ?? 1, line.length - startIndex));
  const before = width(line.slice(0, startIndex));
  const span = Math.max(1, width(line.slice(startIndex, startIndex + length), before));
  const underline = `^${"~".repeat(span - 1)}`;
  return [
    `  ${paint("dim", `${number} |`)} ${expandTabs(line)}`,
    `  ${paint("dim", `${gutter} |`)} ${" ".repeat(before)}${paint("green", underline)}`,
  ];
}

export function formatDiagnostic(
  d: Diagnostic,
  sources: SourceLookup,
  opts: FormatOptions,
): string {
  const paint = (style: Style, text: string): string =>
    opts.color ? styleText(style, text) : text;
  const severity =
    d.severity === "error" ? paint(["bold", "red"], "error") : paint(["bold", "yellow"], "warning");
  const lines = [`${d.pos ? `${paint("bold", where(d.pos))}: ` : ""}${severity}: ${d.message}`];
  if (d.pos) lines.push(...excerpt(d.pos, sources(d.pos.file), paint));
  if (d.hint) lines.push(`  ${paint("cyan", "hint:")} ${d.hint}`);
  for (const site of [...(d.chain ?? [])].reverse()) lines.push(`  included from ${where(site)}`);
  return lines.join("\n");
}

export function formatDiagnostics(
  ds: readonly Diagnostic[],
  sources: SourceLookup,
  opts: FormatOptions,
): string {
  return ds.map((d) => formatDiagnostic(d, sources, opts)).join("\n\n");
}
