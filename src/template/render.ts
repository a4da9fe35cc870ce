/**
 * Rendering a parsed template: output tags print Python-style, `if` picks a branch by
 * Python truthiness, `for` binds its targets and `loop` in a fresh frame (so `set`
 * inside a loop does not leak out, as in Jinja). A template that prints, or branches
 * on, a secret renders to a secret.
 */
import type { Expr } from "./ast.js";
import { iterable } from "./coerce.js";
import { fail, failAt, locate } from "./errors.js";
import { at, type Context, defined, evalNode, type Frame, value } from "./evaluate.js";
import { LIMITS, limitMessage } from "./limits.js";
import type { Dict } from "./plain.js";
import { findSecret, reveal, type Secret, secret, taintWith } from "./secret.js";
import type { Template, TNode } from "./template.js";
import { Missing, toDisplayString, truthy } from "./values.js";

interface Output {
  parts: string[];
  /** The characters in `parts`, all outputs of the template together. */
  size: { n: number };
  taint: Secret | null;
}

/** Append to the output, refusing it past the limit (at `at`, the tag that printed). */
function emit(out: Output, text: string, at: Expr | null): void {
  out.size.n += text.length;
  if (out.size.n > LIMITS.characters) {
    const message = limitMessage("characters", "characters of output");
    if (at === null) fail("limit", message);
    failAt("limit", message, at.start, at.end - at.start);
  }
  out.parts.push(text);
}

export function renderTemplate(tpl: Template, ctx: Context): unknown {
  const out: Output = { parts: [], size: { n: 0 }, taint: null };
  renderNodes(tpl.nodes, { ...ctx, frame: { vars: new Map(), parent: ctx.frame } }, out);
  return taintWith(out.parts.join(""), out.taint);
}

/** Evaluate, noting any secret in the output's taint, and return the revealed value. */
function clean(v: unknown, out: Output): unknown {
  const taint = findSecret([v]);
  if (taint === null) return v;
  out.taint = out.taint ?? taint;
  return reveal(v);
}

function renderNodes(nodes: TNode[], ctx: Context, out: Output): void {
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        emit(out, node.text, null);
        break;
      case "output":
        emit(out, toDisplayString(clean(value(node.expr, ctx), out)), node.expr);
        break;
      case "if": {
        const branch = node.branches.find((b) => truthy(clean(value(b.test, ctx), out)));
        const body = branch ? branch.body : node.otherwise;
        if (body) renderNodes(body, ctx, out);
        break;
      }
      case "for":
        renderFor(node, ctx, out);
        break;
      case "set": {
        // `{% set v = 'x' if false %}` keeps the soft undefined: `v | default(…)` replaces it.
        const v = evalNode(node.value, ctx);
        const soft = v instanceof Missing && v.soft && node.targets.length === 1;
        assign(ctx.frame, node.targets, soft ? v : defined(v), node.value);
        break;
      }
      case "setblock": {
        const inner: Output = { parts: [], size: out.size, taint: null };
        renderNodes(node.body, ctx, inner);
        out.taint = out.taint ?? inner.taint;
        ctx.frame?.vars.set(node.target, taintWith(inner.parts.join(""), inner.taint));
        break;
      }
    }
  }
}

/** A loop iteration builds a frame and the `loop` variable: a few nodes' worth of work. */
const LOOP_ITERATION = 4;

function renderFor(node: Extract<TNode, { type: "for" }>, ctx: Context, out: Output): void {
  const raw = value(node.iter, ctx);
  const taint = findSecret([raw]);
  let items: unknown[];
  try {
    items = iterable(reveal(raw), "for loop");
  } catch (e) {
    throw locate(e, node.iter.start, node.iter.end - node.iter.start);
  }
  if (taint !== null) items = items.map((x) => secret(x, taint.name));
  const frameFor = (item: unknown): Frame => {
    const frame: Frame = { vars: new Map(), parent: ctx.frame };
    assign(frame, node.targets, item, node.iter);
    return frame;
  };
  const { filter } = node;
  if (filter !== null) {
    items = items.filter((x) => truthy(clean(value(filter, { ...ctx, frame: frameFor(x) }), out)));
  }
  if (items.length === 0) {
    if (node.otherwise) renderNodes(node.otherwise, ctx, out);
    return;
  }
  const length = items.length;
  items.forEach((item, i) => {
    at(node.iter, () => ctx.budget.spend(LOOP_ITERATION));
    const frame = frameFor(item);
    // A literal with fixed keys: fast, and none of them can reach a prototype.
    const loop: Dict = {
      index: i + 1,
      index0: i,
      revindex: length - i,
      revindex0: length - i - 1,
      first: i === 0,
      last: i === length - 1,
      length,
    };
    if (i > 0) loop.previtem = items[i - 1];
    if (i < length - 1) loop.nextitem = items[i + 1];
    frame.vars.set("loop", loop);
    // Text printed by the body (the output limit) has no place of its own: the loop's.
    try {
      renderNodes(node.body, { ...ctx, frame }, out);
    } catch (e) {
      throw locate(e, node.iter.start, node.iter.end - node.iter.start);
    }
  });
}

/** Bind `x` or unpack into `k, v`. */
function assign(frame: Frame | null, targets: string[], v: unknown, at: Expr): void {
  if (frame === null) return;
  const [only] = targets;
  if (targets.length === 1 && only !== undefined) {
    frame.vars.set(only, v);
    return;
  }
  const taint = findSecret([v]);
  const items = reveal(v);
  if (!Array.isArray(items) || items.length !== targets.length) {
    failAt(
      "value",
      `cannot unpack into ${targets.length} names: ${toDisplayString(items)}`,
      at.start,
      at.end - at.start,
    );
  }
  targets.forEach((t, i) => {
    frame.vars.set(t, taintWith(items[i], taint));
  });
}
