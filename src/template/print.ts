/**
 * Print an expression as canonical source. Every compound operand is parenthesized,
 * so the output parses back to the same tree (offsets aside) whatever the precedence
 * rules; the fuzz tests check exactly that round trip.
 */
import type { Arguments, Expr } from "./ast.js";
import { formatNumber, reprString } from "./values.js";

export function printExpression(e: Expr): string {
  switch (e.type) {
    case "literal":
      if (e.value === null) return "none";
      if (typeof e.value === "boolean") return e.value ? "true" : "false";
      if (typeof e.value === "number") return formatNumber(e.value);
      return reprString(e.value);
    case "name":
      return e.name;
    case "list":
      return `[${e.items.map(printExpression).join(", ")}]`;
    case "dict":
      return `{${e.entries.map((x) => `${printExpression(x.key)}: ${printExpression(x.value)}`).join(", ")}}`;
    case "member":
      return `${operand(e.object, true)}.${e.name}`;
    case "index":
      return `${operand(e.object, true)}[${printExpression(e.index)}]`;
    case "slice": {
      const part = (x: Expr | null): string => (x === null ? "" : printExpression(x));
      const step = e.step === null ? "" : `:${part(e.step)}`;
      return `${operand(e.object, true)}[${part(e.lower)}:${part(e.upper)}${step}]`;
    }
    case "call":
      return `${operand(e.callee, true)}(${printArguments(e)})`;
    case "filter": {
      const args = e.args.length + e.kwargs.length > 0 ? `(${printArguments(e)})` : "";
      return `${operand(e.subject, false)} | ${e.name}${args}`;
    }
    case "test": {
      const args = e.args.length > 0 ? `(${e.args.map(printExpression).join(", ")})` : "";
      return `${operand(e.subject, false)} is ${e.negated ? "not " : ""}${e.name}${args}`;
    }
    case "unary":
      return `${e.op === "not" ? "not " : e.op}${operand(e.operand, false)}`;
    case "binary":
    case "logical":
      return `${operand(e.left, false)} ${e.op} ${operand(e.right, false)}`;
    case "compare":
      return [
        operand(e.first, false),
        ...e.rest.map((r) => `${r.op} ${operand(r.right, false)}`),
      ].join(" ");
    case "cond": {
      const alternate = e.alternate === null ? "" : ` else ${operand(e.alternate, false)}`;
      return `${operand(e.consequent, false)} if ${operand(e.test, false)}${alternate}`;
    }
  }
}

function printArguments(a: Arguments): string {
  return [
    ...a.args.map(printExpression),
    ...a.kwargs.map((k) => `${k.name}=${printExpression(k.value)}`),
  ].join(", ");
}

/** Parenthesize anything but atoms; a number before `.` needs them too (`(1).x`). */
function operand(e: Expr, beforePostfix: boolean): string {
  const s = printExpression(e);
  switch (e.type) {
    case "name":
    case "list":
    case "dict":
    case "member":
    case "index":
    case "slice":
    case "call":
      return s;
    case "literal":
      return beforePostfix && typeof e.value === "number" ? `(${s})` : s;
    case "filter":
    case "test":
    case "unary":
    case "binary":
    case "logical":
    case "compare":
    case "cond":
      return `(${s})`;
  }
}
