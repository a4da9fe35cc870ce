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
export const PLAN_LIMITS = {
  /** Iterations of one loop (`with_items`, `with_filetree`): each becomes a plan step. */
  loopItems: 10_000,
  /** Steps in the whole plan, loops and includes expanded (planning takes ~1 s per 5,000). */
  steps: 10_000,
  /** Includes nested in includes: each level is a recursion of the planner. */
  includeDepth: 64,
} as const;

/**
 * True when the plan is full: no step may be added at `path`. Reported once, at the
 * first place that wanted to add one; the rest of the walk then adds nothing.
 */
export function planIsFull(planner: Planner, frame: Frame, path: DocPath): boolean {
  if (planner.pending.length < PLAN_LIMITS.steps) return false;
  if (!planner.diagnostics.some((d) => d.code === "plan-size")) {
    const limit = PLAN_LIMITS.steps.toLocaleString("en-US");
    planner.error(frame, path, "plan-size", `the plan would have more than ${limit} steps`);
  }
  return true;
}
