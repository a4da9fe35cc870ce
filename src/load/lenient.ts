/**
 * One recovery for a mistake real playbooks make (mooncake's own tags example):
 * `shell: echo "tools: a, b"`, a plain value that contains `: `. YAML forbids it (a
 * plain scalar cannot hold ": "), yet the intent is plain. When every syntax error is of
 * that kind and the line is a simple `key: value`, the value is read as a quoted string
 * and a warning tells the user to quote it (also when the value holds a `{{ }}`).
 * Columns after the value's start on such a line are off by the added quote.
 */
import type { YAMLError } from "yaml";

export interface Rewrite {
  text: string;
  /** Offsets (in the original text) of the values that were quoted. */
  quoted: [number, number][];
}

const SIMPLE_ENTRY = /^(\s*(?:- +)?[A-Za-z_][\w.-]*: +)(\S.*?)\s*$/;
const INDICATOR = /^['"[\]{}|>&*!%@`#,?-]/;

export function quoteColonValues(text: string, errors: readonly YAMLError[]): Rewrite | null {
  const lineOf = (e: YAMLError) => text.lastIndexOf("\n", e.pos[0] - 1) + 1;
  const starts = new Set<number>();
  for (const e of errors) if (e.code === "BLOCK_AS_IMPLICIT_KEY") starts.add(lineOf(e));
  // `echo "a: {{ b }}"` adds an error after the first one on the same line (the `{`
  // opens a flow mapping); it is the same mistake, read the same way as `echo "a: b"`.
  if (starts.size === 0 || errors.some((e) => !starts.has(lineOf(e)))) return null;
  let out = "";
  let from = 0;
  const quoted: [number, number][] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const match = SIMPLE_ENTRY.exec(text.slice(start, end));
    const [, key, value] = match ?? [];
    if (key === undefined || value === undefined || INDICATOR.test(value) || value.includes(" #")) {
      return null;
    }
    const valueStart = start + key.length;
    out += `${text.slice(from, valueStart)}'${value.replaceAll("'", "''")}'`;
    from = valueStart + value.length;
    quoted.push([valueStart, from]);
  }
  return { text: out + text.slice(from), quoted };
}

/** A line that opens a quoted value: indentation, optional `- `, optional `key: `, the quote. */
const OPENS_QUOTED = /^( *)((?:- +)*)(?:[^\s#'"-][^#'"]*?: +)?(["'])/;
/** A line that starts a block scalar (`key: |`, `- >-`): its text is left alone. */
const OPENS_BLOCK = /^( *(?:- +)*)(?:[^#'"]*?: +)?[|>][-+0-9]*\s*(?:#.*)?$/;

/** Where the quoted scalar opened at `from` in `line` closes, or -1 when it runs on. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * A quoted value that runs over several lines whose continuation lines are not indented
 * past its key — `msg: "one` / `two"` at column 1 — is read by PyYAML and Go's yaml.v3
 * (so mooncake's playbooks have it) but not by the `yaml` package. The continuation
 * lines are indented (a quoted scalar folds leading spaces away, so its value is the
 * same); no line is added, so line numbers stay right. Null when nothing changes.
 */
export function indentQuotedContinuations(text: string): string | null {
  const lines = text.split("\n");
  let changed = false;
  let open: { quote: string; indent: number } | null = null;
  let block: number | null = null;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const lead = line.length - line.trimStart().length;
    if (block !== null) {
      if (line.trim() === "" || lead > block) continue;
      block = null;
    }
    let from = 0;
    if (open === null) {
      const b = OPENS_BLOCK.exec(line);
      if (b !== null) {
        block = b[1]!.length;
        continue;
      }
      const m = OPENS_QUOTED.exec(line);
      if (m === null || line.trimStart().startsWith("#")) continue;
      open = { quote: m[3]!, indent: m[1]!.length + m[2]!.length + 1 };
      from = m[0].length;
    } else if (line.trim() !== "" && lead < open.indent) {
      lines[n] = " ".repeat(open.indent - lead) + line;
      changed = true;
    }
    if (closingQuote(lines[n]!, from, open.quote) !== -1) open = null;
  }
  return changed ? lines.join("\n") : null;
}
