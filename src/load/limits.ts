/**
 * Limits checked on the raw text before the YAML library sees it: its parser and
 * composer recurse once per nesting level, so a mapping nested 3,000 deep overflows the
 * stack (and at ~900 its composer mistakes the overflow for alias exhaustion). One
 * linear pass over the lines measures block and flow nesting and finds a second
 * document, without building anything, so hostile input fails fast with a location.
 *
 * The measure is conservative for real playbooks: block depth is the number of open
 * indentation levels (each `- ` counts as one), flow depth the open `[`/`{` outside
 * quotes, comments and block scalars. It may count a level too many for a continuation
 * line of a multi-line plain scalar, never fewer than the YAML really has.
 */

/** Deeper nesting is refused; real playbooks stay under 20 levels. */
export const MAX_YAML_DEPTH = 200;
/** A larger file is refused before parsing (16 MiB, in UTF-16 code units). */
export const MAX_YAML_CHARS = 16 * 1024 * 1024;

export interface TextProblem {
  message: string;
  start: number;
  end: number;
}

const DOC_MARKER = /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/;

/** The first limit the text breaks, or null. */
export function checkYamlText(text: string): TextProblem | null {
  if (text.length > MAX_YAML_CHARS) {
    const mib = (text.length / (1024 * 1024)).toFixed(1);
    return {
      message: `file too large to load (${mib} MiB; the limit is ${MAX_YAML_CHARS / (1024 * 1024)} MiB)`,
      start: 0,
      end: 1,
    };
  }
  return new Scanner(text).run();
}

class Scanner {
  /** Columns of the open block collections, innermost last. */
  private readonly block: number[] = [];
  private flow = 0;
  private quote: '"' | "'" | null = null;
  /** The indentation a block scalar's content lines must exceed, while inside one. */
  private scalarParent: number | null = null;
  private seenContent = false;

  constructor(private readonly text: string) {}

  run(): TextProblem | null {
    const { text } = this;
    for (let start = 0; start < text.length; ) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      const problem = this.line(start, end);
      if (problem !== null) return problem;
      start = end + 1;
    }
    return null;
  }

  private line(start: number, end: number): TextProblem | null {
    const { text } = this;
    let i = start;
    while (i < end && text[i] === " ") i++;
    const indent = i - start;
    const blank = i >= end || text[i] === "\r" || (text[i] === "#" && this.quote === null);
    if (this.scalarParent !== null) {
      if (blank || indent > this.scalarParent) return null;
      this.scalarParent = null;
    }
    if (this.quote === null && this.flow === 0) {
      if (blank) return null;
      if (indent === 0 && DOC_MARKER.test(text.slice(start, start + 4))) {
        if (this.seenContent && text.startsWith("---", start)) {
          return {
            message: "a playbook file holds one YAML document; found a second one (---)",
            start,
            end: start + 3,
          };
        }
        return null;
      }
      if (indent === 0 && text[i] === "%") return null;
      this.seenContent = true;
      const problem = this.open(indent, i);
      if (problem !== null) return problem;
      while ((text[i] === "-" || text[i] === "?") && /[ \t\r]|^$/.test(text[i + 1] ?? "")) {
        i++;
        while (text[i] === " ") i++;
        if (i >= end) return null;
        const nested = this.open(i - start, i);
        if (nested !== null) return nested;
      }
    }
    return this.chars(i, end, indent);
  }

  /** A block collection level at `column` (closing the deeper or equal ones first). */
  private open(column: number, at: number): TextProblem | null {
    while (this.block.length > 0 && (this.block.at(-1) ?? 0) >= column) this.block.pop();
    this.block.push(column);
    return this.depthCheck(at);
  }

  private depthCheck(at: number): TextProblem | null {
    if (this.block.length + this.flow <= MAX_YAML_DEPTH) return null;
    return {
      message: `YAML nested too deeply (more than ${MAX_YAML_DEPTH} levels)`,
      start: at,
      end: at + 1,
    };
  }

  /** Quotes, comments, flow brackets and block scalar headers on the rest of a line. */
  private chars(from: number, end: number, indent: number): TextProblem | null {
    const { text } = this;
    /** At the start of a node: where a quote, bracket or `|`/`>` is syntax, not text. */
    let nodeStart = this.quote === null;
    for (let i = from; i < end; i++) {
      const c = text[i];
      if (this.quote !== null) {
        if (c === "\\" && this.quote === '"') i++;
        else if (c === this.quote) {
          if (c === "'" && text[i + 1] === "'") i++;
          else this.quote = null;
        }
        continue;
      }
      if (c === " " || c === "\t" || c === "\r") continue;
      if (c === "#" && (i === from || /[ \t]/.test(text[i - 1] ?? ""))) return null;
      if (nodeStart && (c === '"' || c === "'")) {
        this.quote = c;
        nodeStart = false;
      } else if (nodeStart && (c === "[" || c === "{")) {
        this.flow++;
        const problem = this.depthCheck(i);
        if (problem !== null) return problem;
      } else if (this.flow > 0 && (c === "]" || c === "}")) {
        this.flow--;
        nodeStart = false;
      } else if (this.flow > 0 && c === ",") {
        nodeStart = true;
      } else if (c === ":" && /[ \t\r,[\]{}]|^$/.test(text[i + 1] ?? "")) {
        nodeStart = true;
      } else if (this.flow === 0 && nodeStart && (c === "|" || c === ">")) {
        this.scalarParent = indent;
        return null;
      } else if (nodeStart && (c === "&" || c === "!")) {
        // An anchor or tag before the node: skip its name, the node starts after it.
        while (i + 1 < end && !/[ \t\r]/.test(text[i + 1] ?? "")) i++;
      } else {
        nodeStart = false;
      }
    }
    return null;
  }
}
