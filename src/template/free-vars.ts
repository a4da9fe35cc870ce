/**
 * Free variables: the root names an expression or template reads that nothing inside
 * it binds (`for` targets, `loop`, `set`). The planner uses them to decide whether a
 * field can be rendered at plan time. Names used only as function or filter names are
 * not variables; names under `default`/`is defined` guards are (the planner needs to
 * know a field looks at a runtime value even when it is guarded).
 */
import type { Expr } from "./ast.js";
import type { TNode } from "./template.js";

export function exprFreeVariables(e: Expr, bound: ReadonlySet<string>, out: Set<string>): void {
  const walk = (x: Expr | null): void => {
    if (x !== null) exprFreeVariables(x, bound, out);
  };
  switch (e.type) {
    case "literal":
      return;
    case "name":
      if (!bound.has(e.name)) out.add(e.name);
      return;
    case "list":
      for (const x of e.items) walk(x);
      return;
    case "dict":
      for (const entry of e.entries) {
        walk(entry.key);
        walk(entry.value);
      }
      return;
    case "member":
      walk(e.object);
      return;
    case "index":
      walk(e.object);
      walk(e.index);
      return;
    case "slice":
      for (const x of [e.object, e.lower, e.upper, e.step]) walk(x);
      return;
    case "call":
      if (e.callee.type !== "name") walk(e.callee);
      for (const x of e.args) walk(x);
      for (const k of e.kwargs) walk(k.value);
      return;
    case "filter":
      walk(e.subject);
      for (const x of e.args) walk(x);
      for (const k of e.kwargs) walk(k.value);
      return;
    case "test":
      walk(e.subject);
      for (const x of e.args) walk(x);
      return;
    case "unary":
      walk(e.operand);
      return;
    case "binary":
    case "logical":
      walk(e.left);
      walk(e.right);
      return;
    case "compare":
      walk(e.first);
      for (const r of e.rest) walk(r.right);
      return;
    case "cond":
      walk(e.test);
      walk(e.consequent);
      walk(e.alternate);
      return;
  }
}

/**
 * Walk template nodes in order. A `set` binds its name for what follows in the same
 * body; a `set` inside an `if` branch binds only within it, since the name may still
 * come from outside when the branch is not taken.
 */
export function templateFreeVariables(nodes: TNode[], bound: Set<string>, out: Set<string>): void {
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        break;
      case "output":
        exprFreeVariables(node.expr, bound, out);
        break;
      case "if":
        for (const b of node.branches) {
          exprFreeVariables(b.test, bound, out);
          templateFreeVariables(b.body, new Set(bound), out);
        }
        if (node.otherwise) templateFreeVariables(node.otherwise, new Set(bound), out);
        break;
      case "for": {
        exprFreeVariables(node.iter, bound, out);
        const inner = new Set([...bound, ...node.targets]);
        if (node.filter) exprFreeVariables(node.filter, inner, out);
        inner.add("loop");
        templateFreeVariables(node.body, inner, out);
        if (node.otherwise) templateFreeVariables(node.otherwise, new Set(bound), out);
        break;
      }
      case "set":
        exprFreeVariables(node.value, bound, out);
        for (const t of node.targets) bound.add(t);
        break;
      case "setblock":
        templateFreeVariables(node.body, new Set(bound), out);
        bound.add(node.target);
        break;
    }
  }
}
