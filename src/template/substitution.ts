/**
 * Templates that only put variables into text ("step {{ item }}", "{{ item }}"): their
 * text and the names they print, so that a caller rendering the same template for
 * thousands of loop items can substitute each item instead of rendering it anew
 * (the planner's loop fast path, src/plan/loop-fast.ts). `fill` gives exactly what
 * `renderValue` gives for such a template, or null where it cannot be sure of that
 * (a value that is not a string, a finite number or a boolean): the caller then renders.
 */
import type { Result } from "../model/result.js";
import type { TemplateError } from "./errors.js";
import { LIMITS } from "./limits.js";
import { isBlockedName } from "./sandbox.js";
import type { Template } from "./template.js";
import { toDisplayString } from "./values.js";

export interface Substitution {
  /** Text and, between them, the names printed: text at even indexes, names at odd ones. */
  parts: string[];
  /** The template is exactly one `{{ name }}`: its value is the variable's own value. */
  sole: boolean;
}

/** The substitution a parsed template amounts to, or null when it does more than print names. */
export function substitutionOf(
  src: string,
  parsed: Result<Template, TemplateError>,
): Substitution | null {
  if (!parsed.ok) return null;
  const parts: string[] = [""];
  for (const node of parsed.value.nodes) {
    if (node.type === "text") parts[parts.length - 1] += node.text;
    else if (node.type === "output" && node.expr.type === "name" && !isBlockedName(node.expr.name))
      parts.push(node.expr.name, "");
    else return null;
  }
  // As renderValue's soleExpression: one tag, and the string starts and ends with it.
  const sole =
    parsed.value.nodes.length === 1 &&
    parts.length === 3 &&
    src.startsWith("{{") &&
    src.endsWith("}}");
  return { parts, sole };
}

/** A value printed or returned by a substitution without the evaluator's help. */
function plain(v: unknown): v is string | number | boolean {
  return (
    typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))
  );
}

/** Renders `s` with `lookup(name, ctx)` giving each name's value; null when the evaluator must decide. */
export function fill<C>(
  s: Substitution,
  lookup: (name: string, ctx: C) => unknown,
  ctx: C,
): unknown {
  const { parts } = s;
  if (s.sole) {
    const v = lookup(parts[1]!, ctx);
    return plain(v) ? v : null;
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const v = lookup(parts[i]!, ctx);
    if (!plain(v)) return null;
    out += toDisplayString(v) + parts[i + 1]!;
  }
  return out.length > LIMITS.characters ? null : out;
}
