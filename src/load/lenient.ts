/**
 * One recovery for a mistake real playbooks make (mooncake's own tags example):
 * `shell: echo "tools: a, b"`, a plain value that contains `: `. YAML forbids it (a
 * plain scalar cannot hold ": "), yet the intent is plain. When every syntax error is of
 * that kind and the line is a simple `key: value`, the value is read as a quoted string
 * and a warning tells the user to quote it. Columns after the value's start on such a
 * line are off by the added quote.
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
  if (errors.length === 0 || errors.some((e) => e.code !== "BLOCK_AS_IMPLICIT_KEY")) return null;
  const starts = new Set<number>();
  for (const e of errors) starts.add(text.lastIndexOf("\n", e.pos[0] - 1) + 1);
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
