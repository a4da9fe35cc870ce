/**
 * The template parser: text with `{{ }}`, `{% %}` and `{# #}` into a tree of nodes.
 * Newlines follow Ansible's Jinja settings: trim_blocks (the first newline after a
 * block tag or comment is dropped), no lstrip_blocks, the trailing newline kept;
 * `-` on a delimiter strips the whitespace on that side.
 */
import type { Expr } from "./ast.js";
import { failAt } from "./errors.js";
import { lex } from "./lexer.js";
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

/** A scanned piece: text, an output tag, or a block tag with its parser after the keyword. */
type Piece =
  | { kind: "text"; text: string }
  | { kind: "output"; expr: Expr }
  | { kind: "tag"; keyword: string; start: number; end: number; parser: Parser };

const RAW_END = /\{%(-?)\s*endraw\s*(-?)%\}/g;

function scan(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let stripNext = false;
  const pushText = (text: string): void => {
    const t = stripNext ? text.trimStart() : text;
    stripNext = false;
    if (t !== "") pieces.push({ kind: "text", text: t });
  };
  /** `{{-` / `{%-` / `{#-`: strip the whitespace before the tag. */
  const stripBefore = (): void => {
    const last = pieces[pieces.length - 1];
    if (last?.kind !== "text") return;
    last.text = last.text.trimEnd();
    if (last.text === "") pieces.pop();
  };
  /** trim_blocks: drop one newline right after a block tag or comment. */
  const afterBlock = (next: number, trim: boolean): number => {
    if (trim) stripNext = true;
    else if (src.startsWith("\n", next)) return next + 1;
    else if (src.startsWith("\r\n", next)) return next + 2;
    return next;
  };
  for (;;) {
    const open = src.indexOf("{", pos);
    const at = nextTag(src, open);
    if (at < 0) {
      pushText(src.slice(pos));
      return pieces;
    }
    pushText(src.slice(pos, at));
    const kind = src[at + 1];
    const minus = src[at + 2] === "-";
    if (minus) stripBefore();
    const inner = at + 2 + (minus || src[at + 2] === "+" ? 1 : 0);
    if (kind === "#") {
      const close = src.indexOf("#}", inner);
      if (close < 0) failAt("syntax", "unclosed comment: expected '#}'", at, 2);
      pos = afterBlock(close + 2, src[close - 1] === "-" && close - 1 >= inner);
    } else if (kind === "{") {
      const lexed = lex(src, inner, "var");
      const parser = new Parser(lexed.tokens);
      if (parser.atEnd()) failAt("syntax", "empty expression", at, lexed.next - at);
      const expr = parser.expression();
      parser.expectEnd();
      pieces.push({ kind: "output", expr });
      stripNext = lexed.trimAfter;
      pos = lexed.next;
    } else {
      const lexed = lex(src, inner, "block");
      const parser = new Parser(lexed.tokens);
      const keyword = parser.peek();
      if (keyword.kind !== "name") failAt("syntax", "expected a tag name", at, lexed.next - at);
      parser.next();
      if (keyword.text === "raw") {
        parser.expectEnd();
        pos = raw(src, lexed.next, lexed.trimAfter, pushText, at);
        continue;
      }
      pieces.push({ kind: "tag", keyword: keyword.text, start: at, end: lexed.next, parser });
      pos = afterBlock(lexed.next, lexed.trimAfter);
    }
  }

  /** `{% raw %}…{% endraw %}`: the body is text, delimiters and all. */
  function raw(
    s: string,
    from: number,
    trimAfterOpen: boolean,
    push: (t: string) => void,
    at: number,
  ): number {
    RAW_END.lastIndex = from;
    const m = RAW_END.exec(s);
    if (!m) return failAt("syntax", "missing {% endraw %}", at, from - at);
    let body = s.slice(from, m.index);
    if (trimAfterOpen) body = body.trimStart();
    if (m[1] === "-") body = body.trimEnd();
    push(body);
    return afterBlock(m.index + m[0].length, m[2] === "-");
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
    const r = this.body(stops);
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

export function parseTemplateSource(src: string): Template {
  return { source: src, nodes: new TreeBuilder(scan(src)).body([]).nodes };
}
