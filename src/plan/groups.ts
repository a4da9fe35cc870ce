/**
 * Groups of steps: `block` with its `rescue` and `always` sections, and `parallel`.
 * A group expands its children with what it passes down (Inherited) and reduces to
 * the edges between them; it makes no step of its own.
 */
import type { PlanBlock } from "../model/plan.js";
import type { Frame, Inherited, ListResult } from "./frame.js";
import { slugify } from "./ids.js";
import type { Planner } from "./planner.js";
import type { DocPath } from "./render.js";
import type { Scope } from "./scope.js";
import type { StepRecord } from "./steps.js";
import { uniq } from "./util.js";

export function expandBlock(
  planner: Planner,
  step: StepRecord,
  path: DocPath,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  // Named like steps (slug of the name, or of the file; a suffix only for duplicates),
  // so that an unrelated block elsewhere does not rename this one.
  const id =
    typeof step.id === "string"
      ? step.id
      : planner.groupIds.derive(`block-${slugify(String(step.name ?? frame.file))}`);
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
    const list = step[key];
    if (!Array.isArray(list)) return { exits: from, scope: s, exported: {} };
    const start = planner.pending.length;
    const r = planner.expandList(
      list,
      [...path, key],
      frame,
      { ...base, block: { id, role } },
      s,
      from,
    );
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
  step: StepRecord,
  path: DocPath,
  frame: Frame,
  inherited: Inherited,
  scope: Scope,
  prev: string[],
): ListResult {
  const spec = step.parallel;
  const children = Array.isArray(spec)
    ? spec
    : ((spec as Record<string, unknown>).steps as unknown[]);
  const childPath = Array.isArray(spec) ? [...path, "parallel"] : [...path, "parallel", "steps"];
  const maxRaw = Array.isArray(spec) ? step.max : (spec as Record<string, unknown>).max;
  const max = typeof maxRaw === "number" ? maxRaw : null;
  const groupId =
    typeof step.id === "string"
      ? step.id
      : planner.groupIds.derive(`parallel-${slugify(String(step.name ?? frame.file))}`);
  const base = planner.inheritFrom(step, inherited, true);
  const child = { ...base, group: max === null ? base.group : { id: groupId, max } };
  const exits: string[] = [];
  children.forEach((c, i) => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) {
      planner.error(frame, [...childPath, i], "type", "a step must be a mapping");
      return;
    }
    const r = planner.expandItem(c as StepRecord, [...childPath, i], frame, child, scope, prev);
    exits.push(...r.exits);
  });
  return { exits: uniq(exits), scope, exported: {} };
}
