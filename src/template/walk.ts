/** Generic traversal of expressions and template nodes, for the static checks. */
import type { Expr } from "./ast.js";
import type { TNode } from "./template.js";

/** The direct sub-expressions of `e`, in source order. */
export function childrenOf(e: Expr): Expr[] {
  switch (e.type) {
    case "literal":
    case "name":
      return [];
    case "list":
      return e.items;
    case "dict":
      return e.entries.flatMap((x) => [x.key, x.value]);
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "slice":
      return [e.object, e.lower, e.upper, e.step].filter((x): x is Expr => x !== null);
    case "call":
    case "filter":
      return [e.type === "call" ? e.callee : e.subject, ...e.args, ...e.kwargs.map((k) => k.value)];
    case "test":
      return [e.subject, ...e.args];
    case "unary":
      return [e.operand];
    case "binary":
    case "logical":
      return [e.left, e.right];
    case "compare":
      return [e.first, ...e.rest.map((r) => r.right)];
    case "cond":
      return [e.consequent, e.test, ...(e.alternate === null ? [] : [e.alternate])];
  }
}

/** Every expression of a template, outermost first, in source order. */
export function templateExpressions(nodes: TNode[]): Expr[] {
  const out: Expr[] = [];
  const visit = (list: TNode[]): void => {
    for (const node of list) {
      switch (node.type) {
        case "text":
          break;
        case "output":
          out.push(node.expr);
          break;
        case "if":
          for (const b of node.branches) {
            out.push(b.test);
            visit(b.body);
          }
          if (node.otherwise) visit(node.otherwise);
          break;
        case "for":
          out.push(node.iter);
          if (node.filter) out.push(node.filter);
          visit(node.body);
          if (node.otherwise) visit(node.otherwise);
          break;
        case "set":
          out.push(node.value);
          break;
        case "setblock":
          visit(node.body);
          break;
      }
    }
  };
  visit(nodes);
  return out;
}
