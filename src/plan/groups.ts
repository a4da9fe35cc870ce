/**
 * Groups of steps: `block` with its `rescue` and `always` sections, and `parallel`.
 * A group expands its children with what it passes down (Inherited) and reduces to
 * the edges between them; it makes no step of its own.
 */
import type { PlanBlock } from "../model/plan.js";
import type { BlockStep, ParallelStep, StepNode } from "../schema/index.js";
import type { Frame, Inherited, ListResult } from "./frame.js";
import { slugify } from "./ids.js";
import type { Planner } from "./planner.js";
import type { Scope } from "./scope.js";
import { uniq } from "./util.js";

export function expandBlock(
  planner: Planner,
  step: BlockStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  // Named like steps (slug of the name, or of the file; a suffix only for duplicates),
  // so that an unrelated block elsewhere does not rename this one.
  const id = step.id ?? planner.groupIds.derive(`block-${slugify(step.name ?? frame.file)}`);
  const block: PlanBlock = {
    id,
    parent: inherited.block?.id ?? null,
    main: [],
    rescue: [],
    always: [],
  };
  planner.blocks.push(block);
  const base = planner.inheritFrom(step, inherited, true);
  const before = planner.pending.length;
  const section = (
    key: "block" | "rescue" | "always",
    role: "main" | "rescue" | "always",
    from: string[],
    s: Scope,
  ) => {
    const list: StepNode[] = step[key];
    const start = planner.pending.length;
    const r = planner.expandList(list, frame, { ...base, block: { id, role } }, s, from);
    block[role].push(...planner.pending.slice(start).map((p) => p.step.id));
    return r;
  };
  const main = section("block", "main", prev, scope);
  const rescue = section("rescue", "rescue", main.exits, main.scope);
  const always = section("always", "always", uniq([...main.exits, ...rescue.exits]), rescue.scope);
  if (planner.pending.length === before) planner.blocks.pop();
  if (block.parent !== null) {
    const parent = planner.blocks.find((b) => b.id === block.parent);
    const role = inherited.block?.role;
    if (parent !== undefined && role !== undefined)
      parent[role].push(...block.main, ...block.rescue, ...block.always);
  }
  return { exits: always.exits, scope: always.scope, exported: {} };
}

export function expandParallel(
  planner: Planner,
  step: ParallelStep,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  const max = step.max;
  const groupId =
    step.id ?? planner.groupIds.derive(`parallel-${slugify(step.name ?? frame.file)}`);
  const base = planner.inheritFrom(step, inherited, true);
  const child = { ...base, group: max === null ? base.group : { id: groupId, max } };
  const exits: string[] = [];
  for (const c of step.steps) {
    const r = planner.expandItem(c, frame, child, scope, prev);
    exits.push(...r.exits);
  }
  return { exits: uniq(exits), scope, exported: {} };
}
