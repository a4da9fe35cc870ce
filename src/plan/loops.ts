/**
 * Loops, expanded at plan time (SPEC §1.2): the iterations of `with_items` (a list, a
 * "{{ }}" template or a bare expression) and of `with_filetree` (the files of a
 * directory, sorted), as LoopContexts; `[null]` for a step without a loop.
 */
import { posix } from "node:path";
import type { LoopContext } from "../model/plan.js";
import type { Loop } from "../schema/index.js";
import { evalExpression, freeVariablesOfExpression, isTemplated } from "../template/index.js";
import type { Frame } from "./frame.js";
import { limitOf } from "./limits.js";
import type { Planner } from "./planner.js";
import { type DocPath, type RenderSite, renderField, templateDiagnostic } from "./render.js";
import type { Scope } from "./scope.js";
import { describe, resolvePath, treeFingerprint } from "./util.js";

/** Evaluates a bare expression at plan time; a runtime read is recorded as deferred. */
function bareExpression(planner: Planner, expr: string, path: DocPath, site: RenderSite): unknown {
  const fv = freeVariablesOfExpression(expr);
  if (!fv.ok) {
    site.diagnostics.push(templateDiagnostic(site, path, fv.error, "in 'with_items'"));
    return null;
  }
  const waits = fv.value.filter((n) => planner.runtime.has(n));
  if (waits.length > 0) {
    site.deferred.with_items = { template: expr, needs: waits };
    return null;
  }
  planner.scopes.ensureFacts(fv.value, [site.vars, ...site.alsoFacts], expr);
  const v = evalExpression(expr, site.vars, { env: planner.opts.env });
  if (!v.ok) {
    site.diagnostics.push(templateDiagnostic(site, path, v.error, "in 'with_items'"));
    return null;
  }
  return v.value;
}

/** A loop expands to one plan step per item: refuse more than the limit, at the loop. */
function withinLoopLimit(
  planner: Planner,
  frame: Frame,
  path: DocPath,
  n: number,
  what: string,
): boolean {
  const max = limitOf(planner, "loopItems");
  if (n <= max) return true;
  const limit = max.toLocaleString("en-US");
  const message = `${what} gives ${n.toLocaleString("en-US")} items; a plan expands at most ${limit} iterations of one loop`;
  planner.error(frame, path, "loop-size", message);
  return false;
}

export function loopItems(
  planner: Planner,
  loop: Loop | null,
  frame: Frame,
  scope: Scope,
): (LoopContext | null)[] | null {
  if (loop?.type === "with_items") {
    const before = planner.diagnostics.length;
    const site = planner.site(frame, scope.view, {});
    const raw = loop.items;
    const wpath = loop.path;
    // SPEC §1.2: a list, a "{{ }}" template, or a bare expression (`with_items: users`).
    const value =
      typeof raw === "string" && !isTemplated(raw)
        ? bareExpression(planner, raw, wpath, site)
        : renderField(site, raw, wpath, "with_items");
    if (Object.keys(site.deferred).length > 0) {
      planner.error(
        frame,
        wpath,
        "runtime-loop",
        "with_items reads a registered (runtime) value, but loops are expanded at plan time",
        "loop over a plan-time variable; every iteration must be known before the run",
      );
      return null;
    }
    if (planner.diagnostics.length > before) return null;
    if (!Array.isArray(value)) {
      planner.error(frame, wpath, "type", `with_items must give a list, got ${describe(value)}`);
      return null;
    }
    if (!withinLoopLimit(planner, frame, wpath, value.length, "with_items")) return null;
    return value.map((item, index) => ({
      type: "with_items",
      item,
      index,
      first: index === 0,
      last: index === value.length - 1,
    }));
  }
  if (loop?.type === "with_filetree") {
    const site = planner.site(frame, scope.view, {});
    const value = renderField(site, loop.root, loop.path, "with_filetree");
    if (typeof value !== "string") return null;
    const dir = resolvePath(frame.dir, value);
    const entries = planner.opts.fs.walk(dir);
    if (entries === null) {
      planner.error(frame, loop.path, "missing-file", `directory '${dir}' not found`);
      return null;
    }
    if (!withinLoopLimit(planner, frame, loop.path, entries.length, "with_filetree")) return null;
    const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    planner.sources.set(`${dir}/`, treeFingerprint(sorted));
    return sorted.map((e, index) => ({
      type: "with_filetree",
      item: {
        src: posix.join(dir, e.path),
        path: e.path,
        name: e.name,
        is_dir: e.is_dir,
        size: e.size,
        mode: e.mode,
      },
      index,
      first: index === 0,
      last: index === sorted.length - 1,
    }));
  }
  return [null];
}
