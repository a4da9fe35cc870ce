/**
 * The conditions of an action step: tag filtering and `when`, decided at plan time
 * where they can be, and `changed_when`/`failed_when`, checked now and evaluated when
 * the step runs.
 */
import type { Expr } from "../schema/index.js";
import { evalExpression, freeVariablesOfExpression, truthy } from "../template/index.js";
import { secretsRead } from "./secret-reads.js";
import { checkDeferred } from "./check-deferred.js";
import type { Inherited } from "./frame.js";
import type { Planner } from "./planner.js";
import { type DocPath, type RenderSite, templateDiagnostic } from "./render.js";
import { tagFilterReason } from "./tags.js";
import { whenEntries } from "./util.js";

/**
 * Tag filtering and plan-time `when` (SPEC §1.2). `whenParts` comes in holding the
 * inherited conditions and leaves holding every condition the driver evaluates.
 * A condition that reads only plan-time values is decided now: false marks the
 * step skipped in the plan.
 */
export function decideSkip(
  planner: Planner,
  when: readonly Expr[],
  path: DocPath,
  own: Inherited,
  vars: Record<string, unknown>,
  site: RenderSite,
  whenParts: string[],
): { reason: string } | null {
  const inheritedCount = whenParts.length;
  const conditions = [...whenParts.map((expr) => ({ expr, offset: 0 })), ...whenEntries(when)];
  whenParts.length = 0;
  let reason: string | null = tagFilterReason(own.tags, planner.opts.tags, planner.opts.skipTags);
  for (const [i, { expr, offset }] of conditions.entries()) {
    const fromStep = i >= inheritedCount;
    const wpath = fromStep ? [...path, "when"] : path;
    const at = <E extends { offset: number }>(e: E): E => ({ ...e, offset: e.offset + offset });
    const fv = freeVariablesOfExpression(expr);
    if (!fv.ok) {
      if (fromStep)
        planner.diagnostics.push(templateDiagnostic(site, wpath, at(fv.error), "in 'when'"));
      continue;
    }
    planner.scopes.ensureFacts(fv.value, [vars, ...site.alsoFacts], expr);
    whenParts.push(expr);
    // A secret is read when the step runs, never at plan time (SPEC §1.7).
    if (
      fv.value.some((n) => planner.runtime.has(n)) ||
      (planner.secretNames.size > 0 && secretsRead(vars, fv.value).length > 0)
    ) {
      if (fromStep)
        checkDeferred(site, {
          kind: "expression",
          text: expr,
          offset,
          path: wpath,
          what: "in 'when'",
        });
      continue;
    }
    if (reason !== null) continue;
    const v = evalExpression(expr, vars, { env: planner.opts.env });
    if (!v.ok) {
      planner.diagnostics.push(templateDiagnostic(site, wpath, at(v.error), "in 'when'"));
      continue;
    }
    if (!truthy(v.value)) reason = expr === "False" ? "when: false" : `when: ${expr} is false`;
  }
  return reason === null ? null : { reason };
}

/**
 * changed_when/failed_when run after the step, with `result` (and the step's own
 * register name) bound: they are checked, never evaluated, at plan time.
 */
export function checkExpression(
  planner: Planner,
  value: readonly Expr[],
  path: DocPath,
  site: RenderSite,
  what: string,
  extra: ReadonlySet<string>,
): void {
  for (const { expr, offset } of whenEntries(value)) {
    const fv = freeVariablesOfExpression(expr);
    if (!fv.ok) {
      site.diagnostics.push(
        templateDiagnostic(
          site,
          path,
          { ...fv.error, offset: fv.error.offset + offset },
          `in '${what}'`,
        ),
      );
      continue;
    }
    planner.scopes.ensureFacts(fv.value, [site.vars, ...site.alsoFacts], expr);
    checkDeferred(site, {
      kind: "expression",
      text: expr,
      offset,
      path,
      what: `in '${what}'`,
      extra,
    });
  }
}
