/**
 * The compile-time directives of a step list: `vars`, `include_vars` and `include`.
 * They are decided while planning, so their `when` and the values they read must be
 * known now (a registered, runtime value is an error here).
 */
import { posix } from "node:path";
import type { IncludeStep, IncludeVarsStep, StepBase, VarsStep } from "../schema/index.js";
import { validateTaskFileParts } from "../schema/index.js";
import {
  type TemplateError,
  evalExpression,
  freeVariablesOfExpression,
  truthy,
} from "../template/index.js";
import type { Frame, Inherited, ListResult } from "./frame.js";
import { limitOf, planIsFull } from "./limits.js";
import { loopItems } from "./loops.js";
import type { Planner } from "./planner.js";
import { renderField, templateDiagnostic } from "./render.js";
import type { Scope } from "./scope.js";
import { loopVars, resolvePath, whenList } from "./util.js";

/** A `when` on a compile-time directive must be decidable now; returns its verdict. */
function planTimeWhen(
  planner: Planner,
  step: StepBase,
  frame: Frame,
  scope: Scope,
  what: string,
): boolean {
  const path = step.path;
  const parts = whenList(step.when);
  for (const expr of parts) {
    const fv = freeVariablesOfExpression(expr);
    const report = (e: TemplateError) =>
      planner.diagnostics.push(
        templateDiagnostic(planner.site(frame, scope.view, {}), [...path, "when"], e, "in 'when'"),
      );
    if (!fv.ok) {
      report(fv.error);
      return false;
    }
    const runtime = fv.value.filter((n) => planner.runtime.has(n));
    if (runtime.length > 0) {
      planner.error(
        frame,
        [...path, "when"],
        "runtime-when",
        `the 'when' of ${what} reads ${runtime.map((n) => `'${n}'`).join(", ")}, a registered (runtime) value, but ${what} is decided at plan time`,
        "move the condition onto the steps themselves, or use a plan-time variable",
      );
      return false;
    }
    planner.scopes.ensureFacts(fv.value, [scope.view], expr);
    const v = evalExpression(expr, scope.view, { env: planner.opts.env });
    if (!v.ok) {
      report(v.error);
      return false;
    }
    if (!truthy(v.value)) return false;
  }
  return true;
}

export function expandVars(
  planner: Planner,
  step: VarsStep,
  frame: Frame,
  scope: Scope,
  prev: string[],
): ListResult {
  const path = step.path;
  if (!planTimeWhen(planner, step, frame, scope, "a vars step"))
    return { exits: prev, scope, exported: {} };
  const site = planner.site(frame, scope.view, {});
  const values = renderField(site, step.vars, [...path, "vars"], "vars") as Record<string, unknown>;
  planner.rejectDeferred(site.deferred, frame, path, "vars");
  const next = planner.scopes.create({ ...planner.ownVars(scope), ...values });
  return { exits: prev, scope: next, exported: step.export ? values : {} };
}

export function expandIncludeVars(
  planner: Planner,
  step: IncludeVarsStep,
  frame: Frame,
  scope: Scope,
  prev: string[],
): ListResult {
  const path = step.path;
  if (!planTimeWhen(planner, step, frame, scope, "include_vars"))
    return { exits: prev, scope, exported: {} };
  const site = planner.site(frame, scope.view, {});
  const before = planner.diagnostics.length;
  const target = renderField(site, step.include_vars, [...path, "include_vars"], "include_vars");
  planner.rejectDeferred(site.deferred, frame, path, "include_vars");
  if (typeof target !== "string" || planner.diagnostics.length > before) {
    return { exits: prev, scope, exported: {} };
  }
  const file = resolvePath(frame.dir, target);
  const loaded = planner.loadFile(file, frame, [...path, "include_vars"], "vars file");
  if (loaded === null) return { exits: prev, scope, exported: {} };
  const values = loaded.value ?? {};
  if (typeof values !== "object" || Array.isArray(values)) {
    planner.error(
      frame,
      [...path, "include_vars"],
      "type",
      `vars file '${file}' must hold a mapping of variables`,
    );
    return { exits: prev, scope, exported: {} };
  }
  const next = planner.scopes.create({
    ...planner.ownVars(scope),
    ...(values as Record<string, unknown>),
  });
  return {
    exits: prev,
    scope: next,
    exported: step.export ? (values as Record<string, unknown>) : {},
  };
}

export function expandInclude(
  planner: Planner,
  step: IncludeStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  const path = step.path;
  const iterations = loopItems(planner, step.loop, frame, scope);
  if (iterations === null) return { exits: prev, scope, exported: {} };
  let exits = prev;
  let exported: Record<string, unknown> = {};
  for (const loop of iterations) {
    if (planIsFull(planner, frame, path)) break;
    const iterScope =
      loop === null
        ? scope
        : planner.scopes.create({ ...planner.ownVars(scope), ...loopVars(loop) });
    const site = planner.site(frame, iterScope.view, {});
    const before = planner.diagnostics.length;
    const target = renderField(site, step.include, [...path, "include"], "include");
    planner.rejectDeferred(site.deferred, frame, path, "include");
    // A path that could not be rendered is reported once, not again as "not found".
    if (typeof target !== "string" || planner.diagnostics.length > before) continue;
    const file = resolvePath(frame.dir, target);
    const here = planner.pos(frame, path);
    if (frame.stack.includes(file)) {
      const cycle = [...frame.stack, file].join(" → ");
      planner.error(frame, [...path, "include"], "include-cycle", `include cycle: ${cycle}`);
      continue;
    }
    const depth = limitOf(planner, "includeDepth");
    if (frame.stack.length >= depth) {
      const message = `includes nested more than ${depth} deep`;
      planner.error(frame, [...path, "include"], "include-depth", message);
      continue;
    }
    const doc = planner.loadFile(file, frame, [...path, "include"], "included file");
    if (doc === null) continue;
    const list = validateTaskFileParts(doc);
    if (!list.ok) {
      planner.diagnostics.push(...list.error.map((d) => ({ ...d, chain: [...frame.chain, here] })));
      continue;
    }
    const child: Frame = {
      doc,
      file,
      dir: posix.dirname(file) === "." ? "" : posix.dirname(file),
      chain: [...frame.chain, { file: here.file, line: here.line, column: here.column }],
      stack: [...frame.stack, file],
    };
    let childScope = iterScope;
    if (list.value.vars !== null)
      childScope = planner.scopes.create({ ...planner.ownVars(iterScope), ...list.value.vars });
    const childInherited = planner.inheritFrom(step, inherited, true);
    if (loop !== null) childInherited.loops = [...inherited.loops, loop];
    const r = planner.expandList(list.value.steps, child, childInherited, childScope, exits);
    exits = r.exits;
    exported = { ...exported, ...r.exported };
  }
  const next =
    Object.keys(exported).length > 0
      ? planner.scopes.create({ ...planner.ownVars(scope), ...exported })
      : scope;
  // An include has no `export:` of its own (SPEC §1.2): what its file exports stays here.
  return { exits, scope: next, exported: {} };
}
