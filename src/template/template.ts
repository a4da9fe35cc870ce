/**
 * The template parser: text with `{{ }}`, `{% %}` and `{# #}` into a tree of nodes.
 * Whitespace follows Jinja2's lexer exactly, with options (see TemplateOptions):
 * trim_blocks drops the first newline after a block tag or comment; lstrip_blocks
 * drops the spaces and tabs from the start of a line up to a block tag or comment (a
 * line holding only `{% if x %}` disappears); the trailing newline is kept unless
 * keep_trailing_newline is off. `-` on a delimiter strips all whitespace on that side;
 * `{%+` turns lstrip_blocks off and `+%}` trim_blocks off for that tag. An Ansible
 * override header (`#jinja2: lstrip_blocks: False` as the first line) sets the options
 * for its template and is not part of the output.
 */
import type { Expr } from "./ast.js";
import { failAt } from "./errors.js";
import { lex } from "./lexer.js";
import { LIMITS, limitMessage } from "./limits.js";
import { Parser } from "./parser.js";

export type TNode =
  | { type: "text"; text: string }
  | { type: "output"; expr: Expr }
  | { type: "if"; branches: { test: Expr; body: TNode[] }[]; otherwise: TNode[] | null }
  | {
      type: "for";
      targets: string[];
      iter: Expr;
      filter: Expr | null;
      body: TNode[];
      otherwise: TNode[] | null;
    }
  | { type: "set"; targets: string[]; value: Expr }
  | { type: "setblock"; target: string; body: TNode[] };

export interface Template {
  source: string;
  nodes: TNode[];
}

/** Jinja2's whitespace options; `parseTemplate` defaults all three to true. */
export interface TemplateOptions {
  /** Drop the first newline after a block tag or comment (Jinja's `trim_blocks`). */
  trimBlocks?: boolean;
  /** Drop the whitespace from the start of a line to a block tag or comment (`lstrip_blocks`). */
  lstripBlocks?: boolean;
  /** Keep a single newline at the end of the template (`keep_trailing_newline`). */
  keepTrailingNewline?: boolean;
}

type Options = Required<TemplateOptions>;

/** A scanned piece: text, an output tag, or a block tag with its parser after the keyword. */
type Piece =
  | { kind: "text"; text: string }
  | { kind: "output"; expr: Expr }
  | { kind: "tag"; keyword: string; start: number; end: number; parser: Parser };

const RAW_END = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
const SPACES = /\s*/y;
const ONLY_SPACES = /^\s+$/;

const isBreak = (c: string | undefined): boolean => c === "\n" || c === "\r";

/** The offset just past the whitespace at `from`. */
function skipSpaces(src: string, from: number): number {
  SPACES.lastIndex = from;
  SPACES.test(src);
  return SPACES.lastIndex;
}

/** The offset just past one line break at `from`, or `from`. */
function skipBreak(src: string, from: number): number {
  if (src.startsWith("\r\n", from)) return from + 2;
  return isBreak(src[from]) ? from + 1 : from;
}

/**
 * lstrip_blocks on the text before a block tag: when the text after its last line break
 * is only whitespace, drop that whitespace. With no line break in the text, only when
 * the text starts a line (`lineStart`), as Jinja's lexer does.
 */
function lstrip(text: string, lineStart: boolean): string {
  const line = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r")) + 1;
  if (line === 0 && !lineStart) return text;
  return ONLY_SPACES.test(text.slice(line)) ? text.slice(0, line) : text;
}

function scan(src: string, from: number, opts: Options): Piece[] {
  const pieces: Piece[] = [];
  let pos = from;
  /** The previous tag's closer ate a line break (or this is the start): `pos` starts a line. */
  let lineStart = true;
  const pushText = (text: string): void => {
    if (text !== "") pieces.push({ kind: "text", text });
  };
  /** The text before a tag opened with `sign`, with `-` or lstrip_blocks applied. */
  const before = (text: string, sign: string, block: boolean): string => {
    if (sign === "-") return text.trimEnd();
    if (sign === "+" || !block || !opts.lstripBlocks) return text;
    return lstrip(text, lineStart);
  };
  /** Where the text after a closer ending at `next` starts: `-` eats all whitespace, trim_blocks one line break. */
  const after = (next: number, sign: string, block: boolean): number => {
    let p = next;
    if (sign === "-") p = skipSpaces(src, next);
    else if (sign !== "+" && block && opts.trimBlocks) p = skipBreak(src, next);
    lineStart = p > next && isBreak(src[p - 1]);
    return p;
  };
  for (;;) {
    const open = src.indexOf("{", pos);
    const at = nextTag(src, open);
    if (at < 0) {
      pushText(src.slice(pos));
      return pieces;
    }
    const kind = src[at + 1];
    const mark = src[at + 2];
    const sign = mark === "-" || mark === "+" ? mark : "";
    pushText(before(src.slice(pos, at), sign, kind !== "{"));
    const inner = at + 2 + sign.length;
    if (kind === "#") {
      const close = src.indexOf("#}", inner);
      if (close < 0) failAt("syntax", "unclosed comment: expected '#}'", at, 2);
      const end = src[close - 1];
      const closeSign = close - 1 >= inner && (end === "-" || end === "+") ? end : "";
      pos = after(close + 2, closeSign, true);
    } else if (kind === "{") {
      const lexed = lex(src, inner, "var");
      const parser = new Parser(lexed.tokens);
      if (parser.atEnd()) failAt("syntax", "empty expression", at, lexed.next - at);
      const expr = parser.expression();
      parser.expectEnd();
      pieces.push({ kind: "output", expr });
      pos = after(lexed.next, lexed.trimAfter ? "-" : "", false);
    } else {
      const lexed = lex(src, inner, "block");
      const parser = new Parser(lexed.tokens);
      const keyword = parser.peek();
      if (keyword.kind !== "name") failAt("syntax", "expected a tag name", at, lexed.next - at);
      parser.next();
      if (keyword.text === "raw") {
        parser.expectEnd();
        pos = raw(lexed.next, lexed.trimAfter, at);
        continue;
      }
      pieces.push({ kind: "tag", keyword: keyword.text, start: at, end: lexed.next, parser });
      pos = after(lexed.next, lexed.trimAfter ? "-" : lexed.keepAfter ? "+" : "", true);
    }
  }

  /**
   * `{% raw %}…{% endraw %}`: the body is text, delimiters and all. As in Jinja, no
   * trim_blocks after `{% raw %}`; `{% endraw %}` is a block tag like any other.
   */
  function raw(from: number, trimAfterOpen: boolean, at: number): number {
    RAW_END.lastIndex = from;
    const m = RAW_END.exec(src);
    if (!m) return failAt("syntax", "missing {% endraw %}", at, from - at);
    const start = trimAfterOpen ? skipSpaces(src, from) : from;
    lineStart = start > from && isBreak(src[start - 1]);
    pushText(before(src.slice(start, m.index), m[1] ?? "", true));
    return after(m.index + m[0].length, m[2] ?? "", true);
  }
}

/** The next `{{`, `{%` or `{#` at or after `from`. */
function nextTag(src: string, from: number): number {
  for (let i = from; i >= 0 && i < src.length - 1; i = src.indexOf("{", i + 1)) {
    const c = src[i + 1];
    if (c === "{" || c === "%" || c === "#") return i;
  }
  return -1;
}

class TreeBuilder {
  private i = 0;
  /** Blocks open around the current piece: the tree is built (and later walked) recursively. */
  private depth = 0;
  constructor(private readonly pieces: Piece[]) {}

  /** Parse nodes until one of `stops` (returned, not consumed) or the end. */
  body(stops: readonly string[]): { nodes: TNode[]; stop: Extract<Piece, { kind: "tag" }> | null } {
    const nodes: TNode[] = [];
    for (;;) {
      const p = this.pieces[this.i];
      if (p === undefined) return { nodes, stop: null };
      if (p.kind === "text") {
        nodes.push({ type: "text", text: p.text });
      } else if (p.kind === "output") {
        nodes.push({ type: "output", expr: p.expr });
      } else {
        if (stops.includes(p.keyword)) return { nodes, stop: p };
        this.i++;
        nodes.push(this.tag(p));
        continue;
      }
      this.i++;
    }
  }

  private expect(stops: readonly string[], open: Extract<Piece, { kind: "tag" }>) {
    if (this.depth >= LIMITS.nesting) {
      const message = limitMessage("nesting", "nested blocks");
      failAt("limit", message, open.start, open.end - open.start);
    }
    this.depth++;
    const r = this.body(stops);
    this.depth--;
    if (r.stop === null) {
      failAt(
        "syntax",
        `'{% ${open.keyword} %}' is never closed (expected ${stops.map((s) => `'${s}'`).join(" or ")})`,
        open.start,
        open.end - open.start,
      );
    }
    this.i++;
    return { nodes: r.nodes, stop: r.stop };
  }

  private tag(p: Extract<Piece, { kind: "tag" }>): TNode {
    const { parser } = p;
    switch (p.keyword) {
      case "if": {
        const branches: { test: Expr; body: TNode[] }[] = [];
        let test = parser.expression();
        parser.expectEnd();
        for (;;) {
          const r = this.expect(["elif", "else", "endif"], p);
          branches.push({ test, body: r.nodes });
          if (r.stop.keyword === "endif") {
            r.stop.parser.expectEnd();
            return { type: "if", branches, otherwise: null };
          }
          if (r.stop.keyword === "else") {
            r.stop.parser.expectEnd();
            const e = this.expect(["endif"], p);
            e.stop.parser.expectEnd();
            return { type: "if", branches, otherwise: e.nodes };
          }
          test = r.stop.parser.expression();
          r.stop.parser.expectEnd();
        }
      }
      case "for": {
        const targets = this.targets(parser);
        if (!parser.acceptName("in")) parser.unexpected("'in'");
        const iter = parser.orExpression();
        const filter = parser.acceptName("if") ? parser.expression() : null;
        parser.expectEnd();
        const r = this.expect(["else", "endfor"], p);
        r.stop.parser.expectEnd();
        let otherwise: TNode[] | null = null;
        if (r.stop.keyword === "else") {
          const e = this.expect(["endfor"], p);
          e.stop.parser.expectEnd();
          otherwise = e.nodes;
        }
        return { type: "for", targets, iter, filter, body: r.nodes, otherwise };
      }
      case "set": {
        const targets = this.targets(parser);
        if (parser.acceptOp("=")) {
          const value = parser.expression();
          parser.expectEnd();
          return { type: "set", targets, value };
        }
        parser.expectEnd();
        const target = targets[0];
        if (targets.length !== 1 || target === undefined) return parser.unexpected("'='");
        const r = this.expect(["endset"], p);
        r.stop.parser.expectEnd();
        return { type: "setblock", target, body: r.nodes };
      }
      default:
        return failAt(
          "syntax",
          `unknown or misplaced tag '${p.keyword}'`,
          p.start,
          p.end - p.start,
          "cairn templates support if/elif/else, for/else, set, raw and comments",
        );
    }
  }

  /** `x`, `k, v` or `(k, v)`. */
  private targets(parser: Parser): string[] {
    const paren = parser.acceptOp("(");
    const names = [parser.expectIdentifier("a variable name").text];
    while (parser.acceptOp(",")) names.push(parser.expectIdentifier("a variable name").text);
    if (paren) parser.expectOp(")");
    return names;
  }
}

const HEADER = "#jinja2:";

const OVERRIDES = new Map<string, keyof Options>([
  ["trim_blocks", "trimBlocks"],
  ["lstrip_blocks", "lstripBlocks"],
  ["keep_trailing_newline", "keepTrailingNewline"],
]);

const HEADER_HINT =
  "write '#jinja2: trim_blocks: False, lstrip_blocks: True'; cairn supports trim_blocks, lstrip_blocks and keep_trailing_newline set to True or False";

/**
 * Ansible's per-template override header: a first line `#jinja2: name: value, …` sets
 * Jinja options for that template and is removed (with its newline) before rendering.
 * Gives the options and the offset where the template proper starts.
 */
function readHeader(src: string, defaults: Options): { opts: Options; from: number } {
  if (!src.startsWith(HEADER)) return { opts: defaults, from: 0 };
  const eol = src.indexOf("\n");
  const lineEnd = eol < 0 ? src.length : eol;
  const opts = { ...defaults };
  let at = HEADER.length;
  for (const pair of src.slice(HEADER.length, lineEnd).split(",")) {
    const length = Math.max(pair.length, 1);
    const colon = pair.indexOf(":");
    if (colon < 0) {
      failAt(
        "syntax",
        `bad #jinja2: override '${pair.trim()}': expected 'name: value'`,
        at,
        length,
        HEADER_HINT,
      );
    }
    const name = pair.slice(0, colon).trim();
    const field = OVERRIDES.get(name);
    if (field === undefined) {
      failAt("syntax", `unsupported #jinja2: override '${name}'`, at, length, HEADER_HINT);
    }
    const v = pair
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (v !== "true" && v !== "false") {
      failAt(
        "syntax",
        `#jinja2: override '${name}' must be True or False`,
        at,
        length,
        HEADER_HINT,
      );
    }
    opts[field] = v === "true";
    at += pair.length + 1;
  }
  return { opts, from: eol < 0 ? src.length : eol + 1 };
}

/** Without keep_trailing_newline, Jinja drops one line break at the very end of the template. */
function bodyEnd(src: string, from: number, keep: boolean): number {
  if (keep) return src.length;
  if (src.endsWith("\r\n") && src.length - 2 >= from) return src.length - 2;
  return isBreak(src[src.length - 1]) && src.length - 1 >= from ? src.length - 1 : src.length;
}

export function parseTemplateSource(src: string, options: TemplateOptions = {}): Template {
  const defaults: Options = {
    trimBlocks: options.trimBlocks ?? true,
    lstripBlocks: options.lstripBlocks ?? true,
    keepTrailingNewline: options.keepTrailingNewline ?? true,
  };
  const { opts, from } = readHeader(src, defaults);
  // Slicing the end off keeps every offset, so errors still point into `src`.
  const body = src.slice(0, bodyEnd(src, from, opts.keepTrailingNewline));
  return { source: src, nodes: new TreeBuilder(scan(body, from, opts)).body([]).nodes };
}
