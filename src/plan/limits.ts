/**
 * How large a plan may grow from one playbook. Each bound stops hostile or mistaken
 * input (`with_items: "{{ range(10**6) }}"`, a 3,000-file include chain) with a
 * located error instead of minutes of work, gigabytes, or a stack overflow; real
 * playbooks stay far below them. The template engine's own budget is in
 * src/template/limits.ts.
 */
import type { Frame } from "./frame.js";
import type { Planner } from "./planner.js";
import type { DocPath } from "./render.js";
export interface PlanLimits {
  /** Iterations of one loop (`with_items`, `with_filetree`): each becomes a plan step. */
  loopItems: number;
  /** Steps in the whole plan, loops and includes expanded (memory ~7 kB per step). */
  steps: number;
  /** Includes nested in includes: each level is a recursion of the planner. */
  includeDepth: number;
}

/** The defaults: SPEC §6 plans 100,000 loop steps, so both bounds leave room above that. */
export const PLAN_LIMITS: Readonly<PlanLimits> = {
  loopItems: 100_000,
  steps: 250_000,
  includeDepth: 64,
};

/**
 * One limit of this compile (options may lower or raise it, e.g. in tests). Read
 * without copying the limits: the step limit is asked once per step added.
 */
export function limitOf(planner: Planner, name: keyof PlanLimits): number {
  return planner.opts.limits?.[name] ?? PLAN_LIMITS[name];
}

/**
 * True when the plan is full: no step may be added at `path`. Reported once, at the
 * first place that wanted to add one; the rest of the walk then adds nothing.
 */
export function planIsFull(planner: Planner, frame: Frame, path: DocPath): boolean {
  const max = limitOf(planner, "steps");
  if (planner.pending.length < max) return false;
  if (!planner.diagnostics.some((d) => d.code === "plan-size")) {
    const limit = max.toLocaleString("en-US");
    planner.error(frame, path, "plan-size", `the plan would have more than ${limit} steps`);
  }
  return true;
}
