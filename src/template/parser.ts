/**
 * The expression parser: Pratt-style precedence climbing over the lexer's tokens,
 * following Jinja2's grammar (conditional < or < and < not < comparisons < `+ -` < `~`
 * < `* / // %` < `**` < unary < postfix/filters/tests: `'a' ~ n + 1` is `('a' ~ n) + 1`) with the mooncake spellings
 * `&&`, `||`, `!` folded in. The template parser drives the same class inside tags.
 */
import type { Arguments, BinaryOp, CompareOp, Expr } from "./ast.js";
import { failAt } from "./errors.js";
import { LIMITS, limitMessage } from "./limits.js";
import { CONSTANTS, KEYWORDS, TokenCursor } from "./token-cursor.js";
import { childrenOf } from "./walk.js";

const COMPARE = new Set(["==", "!=", "<", "<=", ">", ">="]);

export class Parser extends TokenCursor {
  private depth = 0;

  /** A full expression, conditional included. */
  expression(): Expr {
    return this.checked(() => this.conditional());
  }

  /** An expression without a trailing `if` (a `for` loop's iterable). */
  orExpression(): Expr {
    return this.checked(() => this.or());
  }

  /** The outermost parse also checks the tree's depth, which chains grow without nesting. */
  private checked(parse: () => Expr): Expr {
    const outermost = this.depth === 0;
    const e = parse();
    if (outermost) checkTreeDepth(e);
    return e;
  }

  private conditional(): Expr {
    return this.nested(() => {
      let node = this.or();
      while (this.isName("if")) {
        this.next();
        const test = this.or();
        let alternate: Expr | null = null;
        if (this.acceptName("else")) alternate = this.conditional();
        const end = (alternate ?? test).end;
        node = { type: "cond", test, consequent: node, alternate, start: node.start, end };
      }
      return node;
    });
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > LIMITS.nesting) {
      const t = this.peek();
      const message = limitMessage("nesting", "levels of nesting in an expression");
      failAt("limit", message, t.start, t.end - t.start);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName("or") || this.isOp("||")) {
      this.next();
      const right = this.and();
      left = { type: "logical", op: "or", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName("and") || this.isOp("&&")) {
      this.next();
      const right = this.not();
      left = { type: "logical", op: "and", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName("not")) {
      const start = this.next().start;
      const operand = this.nested(() => this.not());
      return { type: "unary", op: "not", operand, start, end: operand.end };
    }
    return this.compare();
  }

  private compare(): Expr {
    const first = this.binary(0);
    const rest: { op: CompareOp; right: Expr }[] = [];
    for (;;) {
      const t = this.peek();
      let op: CompareOp;
      if (t.kind === "op" && COMPARE.has(t.text)) op = t.text as CompareOp;
      else if (this.isName("in")) op = "in";
      else if (this.isName("not") && this.isName("in", 1)) {
        this.next();
        op = "not in";
      } else break;
      this.next();
      rest.push({ op, right: this.binary(0) });
    }
    if (rest.length === 0) return first;
    const end = rest[rest.length - 1]?.right.end ?? first.end;
    return { type: "compare", first, rest, start: first.start, end };
  }

  /** Binary operators by binding power: `+ -` 0, `~` 1, `* / // %` 2, `**` 3 (as Jinja2). */
  private binary(level: number): Expr {
    if (level > 3) return this.unary(true);
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || bindingPower(t.text) !== level) return left;
      this.next();
      const right = this.binary(level + 1);
      const op = t.text as BinaryOp;
      left = { type: "binary", op, left, right, start: left.start, end: right.end };
    }
  }

  private unary(withFilters: boolean): Expr {
    return this.nested(() => {
      const t = this.peek();
      let node: Expr;
      if (t.kind === "op" && (t.text === "-" || t.text === "+" || t.text === "!")) {
        this.next();
        const operand = this.unary(false);
        const op = t.text === "!" ? "not" : t.text === "-" ? "-" : "+";
        node = { type: "unary", op, operand, start: t.start, end: operand.end };
      } else {
        node = this.primary();
      }
      node = this.postfix(node);
      return withFilters ? this.filters(node) : node;
    });
  }

  private primary(): Expr {
    const t = this.peek();
    const { start, end } = t;
    switch (t.kind) {
      case "name": {
        const constant = CONSTANTS.get(t.text);
        if (constant !== undefined) {
          this.next();
          return { type: "literal", value: constant, start, end };
        }
        const name = this.expectIdentifier("an expression").text;
        return { type: "name", name, start, end };
      }
      case "int":
      case "float":
        this.next();
        return { type: "literal", value: t.num, start, end };
      case "string": {
        // Adjacent string literals concatenate, as in Python: `"a" "b"` is "ab".
        this.next();
        let text = t.text;
        let last = end;
        while (this.peek().kind === "string") {
          const more = this.next();
          text += more.text;
          last = more.end;
        }
        return { type: "literal", value: text, start, end: last };
      }
      case "op":
        if (t.text === "(") return this.parenthesized();
        if (t.text === "[") return this.list();
        if (t.text === "{") return this.dict();
        break;
      case "end":
        break;
    }
    return this.unexpected("an expression");
  }

  /** `(x)` is x; `(a, b)` and `()` are tuples, which are lists here. */
  private parenthesized(): Expr {
    const start = this.expectOp("(").start;
    if (this.isOp(")")) return { type: "list", items: [], start, end: this.next().end };
    const first = this.expression();
    if (this.acceptOp(")")) return first;
    const items = [first];
    while (this.acceptOp(",")) {
      if (this.isOp(")")) break;
      items.push(this.expression());
    }
    return { type: "list", items, start, end: this.expectOp(")").end };
  }

  private list(): Expr {
    const start = this.expectOp("[").start;
    const items: Expr[] = [];
    while (!this.isOp("]")) {
      items.push(this.expression());
      if (!this.acceptOp(",")) break;
    }
    return { type: "list", items, start, end: this.expectOp("]").end };
  }

  private dict(): Expr {
    const start = this.expectOp("{").start;
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.isOp("}")) {
      const key = this.expression();
      this.expectOp(":");
      entries.push({ key, value: this.expression() });
      if (!this.acceptOp(",")) break;
    }
    return { type: "dict", entries, start, end: this.expectOp("}").end };
  }

  private postfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp(".")) {
        this.next();
        const t = this.peek();
        if (t.kind === "int") {
          // Jinja's `result.results.0` is an index.
          this.next();
          const index: Expr = { type: "literal", value: t.num, start: t.start, end: t.end };
          node = { type: "index", object: node, index, start: node.start, end: t.end };
        } else {
          if (t.kind !== "name") this.unexpected("an attribute name");
          this.next();
          const nameStart = t.start;
          node = {
            type: "member",
            object: node,
            name: t.text,
            nameStart,
            start: node.start,
            end: t.end,
          };
        }
      } else if (this.isOp("[")) {
        node = this.subscript(node);
      } else if (this.isOp("(")) {
        const args = this.callArguments();
        node = { type: "call", callee: node, ...args, start: node.start, end: this.lastEnd() };
      } else {
        return node;
      }
    }
  }

  private subscript(object: Expr): Expr {
    this.expectOp("[");
    const part = (): Expr | null => (this.isOp(":") || this.isOp("]") ? null : this.expression());
    const lower = part();
    if (lower !== null && this.isOp("]")) {
      return { type: "index", object, index: lower, start: object.start, end: this.next().end };
    }
    this.expectOp(":");
    const upper = part();
    let step: Expr | null = null;
    if (this.acceptOp(":")) step = part();
    const end = this.expectOp("]").end;
    return { type: "slice", object, lower, upper, step, start: object.start, end };
  }

  private callArguments(): Arguments {
    this.expectOp("(");
    const args: Expr[] = [];
    const kwargs: { name: string; value: Expr }[] = [];
    while (!this.isOp(")")) {
      if (this.peek().kind === "name" && this.isOp("=", 1)) {
        const name = this.next().text;
        this.next();
        kwargs.push({ name, value: this.expression() });
      } else {
        if (kwargs.length > 0) this.unexpected("a keyword argument");
        args.push(this.expression());
      }
      if (!this.acceptOp(",")) break;
    }
    this.expectOp(")");
    return { args, kwargs };
  }

  private filters(node: Expr): Expr {
    for (;;) {
      if (this.acceptOp("|")) {
        const first = this.expectIdentifier("a filter name");
        let name = first.text;
        while (this.isOp(".") && this.peek(1).kind === "name") {
          this.next();
          name += `.${this.next().text}`;
        }
        let args: Arguments = { args: [], kwargs: [] };
        if (this.isOp("(")) args = this.callArguments();
        const nameStart = first.start;
        node = {
          type: "filter",
          subject: node,
          name,
          nameStart,
          ...args,
          start: node.start,
          end: this.lastEnd(),
        };
      } else if (this.isName("is")) {
        node = this.test(node);
      } else {
        return node;
      }
    }
  }

  private test(subject: Expr): Expr {
    this.next();
    const negated = this.acceptName("not");
    const t = this.peek();
    if (t.kind !== "name") this.unexpected("a test name");
    this.next();
    let args: Expr[] = [];
    if (this.isOp("(")) {
      const call = this.callArguments();
      if (call.kwargs.length > 0) {
        failAt("syntax", "tests take no keyword arguments", t.start, t.end - t.start);
      }
      args = call.args;
    } else if (this.startsBareTestArgument()) {
      args = [this.postfix(this.primary())];
    }
    const nameStart = t.start;
    return {
      type: "test",
      subject,
      name: t.text,
      nameStart,
      negated,
      args,
      start: subject.start,
      end: this.lastEnd(),
    };
  }

  /** Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas false`. */
  private startsBareTestArgument(): boolean {
    const t = this.peek();
    if (t.kind === "name") return !KEYWORDS.has(t.text);
    if (t.kind === "op") return t.text === "[" || t.text === "{";
    return t.kind !== "end";
  }
}

function bindingPower(op: string): number {
  switch (op) {
    case "+":
    case "-":
      return 0;
    case "~":
      return 1;
    case "*":
    case "/":
    case "//":
    case "%":
      return 2;
    case "**":
      return 3;
    default:
      return -1;
  }
}

/**
 * Refuse a tree deeper than the limit, measured without recursion: `1+1+1…` parses in
 * a loop but every later walk (evaluation, free variables) recurses once per operand.
 */
function checkTreeDepth(root: Expr): void {
  const stack: [Expr, number][] = [[root, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [e, depth] = top;
    if (depth > LIMITS.treeDepth) {
      const message = limitMessage("treeDepth", "levels in an expression tree");
      failAt("limit", message, e.start, e.end - e.start);
    }
    for (const c of childrenOf(e)) stack.push([c, depth + 1]);
  }
}
