/**
 * The values the expansion walk carries from a list to its items: where a list lives
 * (Frame), what a group passes down (Inherited), what a list gives back (ListResult),
 * and the steps generated before ids of `needs`/`notify` are resolved (Pending).
 */
import type { LoadedDoc } from "../load/index.js";
import type { BlockRef, LoopContext, OriginFrame, PlanStep } from "../model/plan.js";
import type { StepNode } from "../schema/index.js";
import type { DocPath } from "./render.js";
import type { Scope } from "./scope.js";

/** Where a list of steps lives: its document and the include chain that led to it. */
export interface Frame {
  doc: LoadedDoc;
  file: string;
  dir: string;
  chain: OriginFrame[];
  /** Files being included right now, outermost first, for cycle detection. */
  stack: string[];
}

/** What a group passes down to its children (SPEC §1.2: when, tags, become, env). */
export interface Inherited {
  when: string[];
  tags: string[];
  become: boolean | null;
  becomeUser: string | null;
  env: Record<string, string>;
  block: BlockRef | null;
  group: { id: string; max: number | null } | null;
  /** The iteration of each enclosing looped include, outermost first (ids get `[i]` each). */
  loops: LoopContext[];
  /** Inside a preset: the preset step's id and `/`, put before the ids of its steps. */
  idPrefix: string;
}

export interface ListResult {
  exits: string[];
  scope: Scope;
  exported: Record<string, unknown>;
}

/** A step generated before ids of `needs`/`notify` are resolved. */
export interface Pending {
  step: PlanStep;
  /** The id before any `[index]`; `derived` unless the playbook gave it with `id:`. */
  base: { id: string; derived: boolean };
  explicitNeeds: { ids: string[]; path: DocPath; frame: Frame };
  notifyNames: { names: string[]; path: DocPath; frame: Frame };
  compensate: {
    items: StepNode[];
    frame: Frame;
    scope: Scope;
    inherited: Inherited;
  } | null;
}

export const ROOT_INHERITED: Inherited = {
  when: [],
  tags: [],
  become: null,
  becomeUser: null,
  env: {},
  block: null,
  group: null,
  loops: [],
  idPrefix: "",
};
