/**
 * The parser's view of the lexer's tokens: look ahead, consume, accept or expect an
 * operator or a name, and report the token found where another was expected. Parser
 * (parser.ts) builds expressions on top of it; the template parser drives it inside tags.
 */
import { failAt } from "./errors.js";
import type { Token } from "./lexer.js";

export const KEYWORDS = new Set(["and", "or", "not", "in", "is", "if", "else"]);
/** A Map, not an object literal: `'toString' in {...}` would find the prototype's. */
export const CONSTANTS = new Map<string, boolean | null>([
  ["true", true],
  ["false", false],
  ["none", null],
  ["True", true],
  ["False", false],
  ["None", null],
  // mooncake's expressions (expr-lang) write none as nil.
  ["nil", null],
]);

export class TokenCursor {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
    if (t === undefined) throw new Error("token stream without an end token");
    return t;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().kind === "end";
  }

  isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === text;
  }

  isName(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "name" && t.text === text;
  }

  acceptOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.next();
    return true;
  }

  acceptName(text: string): boolean {
    if (!this.isName(text)) return false;
    this.next();
    return true;
  }

  expectOp(text: string): Token {
    if (!this.isOp(text)) this.unexpected(`'${text}'`);
    return this.next();
  }

  /** A plain identifier (not a keyword); used for variable, filter and loop names. */
  expectIdentifier(what: string): Token {
    const t = this.peek();
    if (t.kind !== "name" || KEYWORDS.has(t.text) || CONSTANTS.has(t.text)) {
      this.unexpected(what);
    }
    return this.next();
  }

  unexpected(expected: string): never {
    const t = this.peek();
    const found = t.kind === "end" ? "end of expression" : `'${t.text}'`;
    return failAt("syntax", `unexpected ${found}, expected ${expected}`, t.start, t.end - t.start);
  }

  expectEnd(): void {
    if (!this.atEnd()) this.unexpected("end of expression");
  }

  /** Where the last consumed token ends. */
  protected lastEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? 0;
  }
}
