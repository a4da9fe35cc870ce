/**
 * Unguarded free variables: the root names an expression or template reads somewhere
 * where an undefined value would be an error. The planner reports such a name as
 * undefined at plan time when it is neither a plan-time variable nor registered, so
 * every rule here must be sound (a name left out can never fail as undefined) and
 * should be generous, since a name reported wrongly rejects a valid playbook.
 *
 * A read is guarded when an undefined value cannot reach an error from it:
 * - the operand path of `default`/`d` (`x.y['k'] | default(…)` guards root `x`; the
 *   index expressions inside are ordinary reads), and of `is defined`/`is undefined`;
 * - the first argument of `default(x, …)`, `is_defined(x)` and `has(x, …)`, and every
 *   argument of `coalesce(…)` (the lenient functions; `has` answers false for an
 *   undefined container);
 * - any read where the condition already evaluated proves the name defined: the right
 *   of `x is defined and …`, the right of `x is not defined or …`, the branches of
 *   `… if x is defined else …`, and the bodies of `{% if %}`/`{% elif %}`/`{% else %}`
 *   whose tests prove it (through `not`, `and`, `or`, `is_defined(x)`, `x.y is defined`).
 */
import type { Expr, ExprOf } from "./ast.js";
import type { TNode } from "./template.js";
import { childrenOf } from "./walk.js";

/**
 * Names known to be defined. `ALL` stands for every name: what holds in code that
 * cannot run (`false and x`), where no read can fail.
 */
const ALL = "all";
type Names = ReadonlySet<string> | typeof ALL;
const NONE: Names = new Set();

const has = (names: Names, name: string): boolean => names === ALL || names.has(name);

/** The lenient functions: which positional arguments (and keyword names) they guard. */
const LENIENT_FUNCTIONS = new Map<string, { positions: number; keyword: string | null }>([
  ["default", { positions: 1, keyword: "value" }],
  ["is_defined", { positions: 1, keyword: "value" }],
  ["has", { positions: 1, keyword: "container" }],
  ["coalesce", { positions: Number.POSITIVE_INFINITY, keyword: null }],
]);

function union(a: Names, b: Names): Names {
  if (a === ALL || b === ALL) return ALL;
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}

function intersect(a: Names, b: Names): Names {
  if (a === ALL) return b;
  if (b === ALL) return a;
  return a.size === 0 || b.size === 0 ? NONE : new Set([...a].filter((x) => b.has(x)));
}

/** The root name of an attribute/index chain (`x.y[0].z` → `x`), or null. */
function pathRoot(e: Expr): string | null {
  let x = e;
  while (x.type === "member" || x.type === "index") x = x.object;
  return x.type === "name" ? x.name : null;
}

interface Facts {
  /** Names proven defined when the expression evaluated truthy. */
  whenTrue: Names;
  /** Names proven defined when it evaluated falsy. */
  whenFalse: Names;
}

const NO_FACTS: Facts = { whenTrue: NONE, whenFalse: NONE };

class GuardWalker {
  private readonly known = new WeakMap<Expr, Facts>();
  readonly out = new Set<string>();

  /** What evaluating `e` to a truthy or falsy value proves defined. */
  factsOf(e: Expr): Facts {
    const known = this.known.get(e);
    if (known !== undefined) return known;
    const f = this.computeFacts(e);
    this.known.set(e, f);
    return f;
  }

  private computeFacts(e: Expr): Facts {
    switch (e.type) {
      case "literal":
        // A constant is never the other way: facts "when it is" hold vacuously.
        return e.value === null || e.value === false || e.value === 0 || e.value === ""
          ? { whenTrue: ALL, whenFalse: NONE }
          : { whenTrue: NONE, whenFalse: ALL };
      case "test": {
        if (e.name !== "defined" && e.name !== "undefined") return NO_FACTS;
        const root = pathRoot(e.subject);
        if (root === null) return NO_FACTS;
        const proves = new Set([root]);
        const definedWhenTrue = (e.name === "defined") !== e.negated;
        return definedWhenTrue
          ? { whenTrue: proves, whenFalse: NONE }
          : { whenTrue: NONE, whenFalse: proves };
      }
      case "call": {
        const [arg] = e.args;
        if (e.callee.type !== "name" || e.callee.name !== "is_defined" || arg === undefined)
          return NO_FACTS;
        const root = pathRoot(arg);
        return root === null ? NO_FACTS : { whenTrue: new Set([root]), whenFalse: NONE };
      }
      case "unary": {
        if (e.op !== "not") return NO_FACTS;
        const f = this.factsOf(e.operand);
        return { whenTrue: f.whenFalse, whenFalse: f.whenTrue };
      }
      case "logical": {
        const l = this.factsOf(e.left);
        const r = this.factsOf(e.right);
        if (e.op === "and") {
          // Truthy: both were truthy. Falsy: the left was, or it was truthy and the right falsy.
          return {
            whenTrue: union(l.whenTrue, r.whenTrue),
            whenFalse: intersect(l.whenFalse, union(l.whenTrue, r.whenFalse)),
          };
        }
        return {
          whenTrue: intersect(l.whenTrue, union(l.whenFalse, r.whenTrue)),
          whenFalse: union(l.whenFalse, r.whenFalse),
        };
      }
      case "cond": {
        const t = this.factsOf(e.test);
        const a = this.factsOf(e.consequent);
        const b = e.alternate === null ? null : this.factsOf(e.alternate);
        // No alternate: the value is '' (falsy) when the test is falsy.
        const elseTrue = b === null ? null : union(t.whenFalse, b.whenTrue);
        const elseFalse = b === null ? t.whenFalse : union(t.whenFalse, b.whenFalse);
        const thenTrue = union(t.whenTrue, a.whenTrue);
        return {
          whenTrue: elseTrue === null ? thenTrue : intersect(thenTrue, elseTrue),
          whenFalse: intersect(union(t.whenTrue, a.whenFalse), elseFalse),
        };
      }
      case "name":
      case "list":
      case "dict":
      case "member":
      case "index":
      case "slice":
      case "filter":
      case "binary":
      case "compare":
        return NO_FACTS;
    }
  }

  /** Record the reads of `e`; a read of a name in `guards` or `bound` is not reported. */
  expr(e: Expr, bound: ReadonlySet<string>, guards: Names): void {
    switch (e.type) {
      case "name":
        if (!bound.has(e.name) && !has(guards, e.name)) this.out.add(e.name);
        return;
      case "filter": {
        const name = e.name.startsWith("ansible.builtin.") ? e.name.slice(16) : e.name;
        if (name === "default" || name === "d") {
          this.path(e.subject, bound, guards);
          for (const a of e.args) this.expr(a, bound, guards);
          for (const k of e.kwargs) this.expr(k.value, bound, guards);
          return;
        }
        break;
      }
      case "test":
        if (e.name === "defined" || e.name === "undefined") {
          this.path(e.subject, bound, guards);
          for (const a of e.args) this.expr(a, bound, guards);
          return;
        }
        break;
      case "call":
        if (e.callee.type === "name") {
          this.call(e, LENIENT_FUNCTIONS.get(e.callee.name), bound, guards);
          return;
        }
        break;
      case "logical": {
        this.expr(e.left, bound, guards);
        const l = this.factsOf(e.left);
        this.expr(e.right, bound, union(guards, e.op === "and" ? l.whenTrue : l.whenFalse));
        return;
      }
      case "cond": {
        this.expr(e.test, bound, guards);
        const t = this.factsOf(e.test);
        this.expr(e.consequent, bound, union(guards, t.whenTrue));
        if (e.alternate !== null) this.expr(e.alternate, bound, union(guards, t.whenFalse));
        return;
      }
      case "literal":
      case "list":
      case "dict":
      case "member":
      case "index":
      case "slice":
      case "unary":
      case "binary":
      case "compare":
        break;
    }
    for (const c of childrenOf(e)) this.expr(c, bound, guards);
  }

  /** A function call: its name is not a read; lenient arguments are guarded paths. */
  private call(
    e: ExprOf<"call">,
    lenient: { positions: number; keyword: string | null } | undefined,
    bound: ReadonlySet<string>,
    guards: Names,
  ): void {
    e.args.forEach((a, i) => {
      if (lenient !== undefined && i < lenient.positions) this.path(a, bound, guards);
      else this.expr(a, bound, guards);
    });
    for (const k of e.kwargs) {
      if (lenient?.keyword === k.name) this.path(k.value, bound, guards);
      else this.expr(k.value, bound, guards);
    }
  }

  /**
   * An operand that may be undefined: down an attribute/index chain the root is
   * guarded (a missing value travels through attribute access), the index expressions
   * are ordinary reads; anything else is an ordinary expression.
   */
  private path(e: Expr, bound: ReadonlySet<string>, guards: Names): void {
    let x = e;
    while (x.type === "member" || x.type === "index") {
      if (x.type === "index") this.expr(x.index, bound, guards);
      x = x.object;
    }
    if (x.type !== "name") this.expr(x, bound, guards);
  }

  /** Walk template nodes with the same binding rules as the free-variable walk. */
  nodes(nodes: TNode[], bound: Set<string>, guards: Names): void {
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          break;
        case "output":
          this.expr(node.expr, bound, guards);
          break;
        case "if": {
          let otherwise = guards;
          for (const b of node.branches) {
            this.expr(b.test, bound, otherwise);
            const f = this.factsOf(b.test);
            this.nodes(b.body, new Set(bound), union(otherwise, f.whenTrue));
            otherwise = union(otherwise, f.whenFalse);
          }
          if (node.otherwise) this.nodes(node.otherwise, new Set(bound), otherwise);
          break;
        }
        case "for": {
          this.expr(node.iter, bound, guards);
          const inner = new Set([...bound, ...node.targets]);
          let body = guards;
          if (node.filter) {
            this.expr(node.filter, inner, guards);
            body = union(guards, this.factsOf(node.filter).whenTrue);
          }
          inner.add("loop");
          this.nodes(node.body, inner, body);
          if (node.otherwise) this.nodes(node.otherwise, new Set(bound), guards);
          break;
        }
        case "set":
          this.expr(node.value, bound, guards);
          for (const t of node.targets) bound.add(t);
          break;
        case "setblock":
          this.nodes(node.body, new Set(bound), guards);
          bound.add(node.target);
          break;
      }
    }
  }
}

export function exprUnguarded(e: Expr): string[] {
  const w = new GuardWalker();
  w.expr(e, new Set(), NONE);
  return [...w.out].sort();
}

export function templateUnguarded(nodes: TNode[]): string[] {
  const w = new GuardWalker();
  w.nodes(nodes, new Set(), NONE);
  return [...w.out].sort();
}
