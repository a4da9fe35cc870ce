/**
 * Block routing (`block` / `rescue` / `always`, Ansible semantics) on top of the
 * planner's edges. The planner chains a block's main steps, makes the first rescue
 * step need the last main step, the first always step need the last main and last
 * rescue steps, and the step after the block need the block's last step. Read
 * literally those edges would block rescue and always on the very failure they
 * exist for, so an edge u → v is classified by the blocks u and v share:
 *
 * - **rescue edge** (u in L.main, v in L.rescue, L the innermost common block): any
 *   end of u whose root cause lies inside L satisfies it; whether v then runs is the
 *   rescue gate: only if L's main section failed, else v is `skipped` ("no failure
 *   to rescue").
 * - **always edge** (u in L.main or L.rescue, v in L.always): satisfied by any end of
 *   u caused inside L, and by a cancellation once L was entered.
 * - **exit edge** (u inside block E, the outermost block holding u but not v):
 *   blocked if E failed unrescued, satisfied if E succeeded or was rescued.
 * - any other edge is an ordinary one.
 *
 * A failure walks up the failing step's memberships: in a main section with a
 * rescue still to come it is held there (rescued if every rescue step then
 * succeeds); otherwise the block fails and the failure moves to the enclosing
 * block, and past the outermost block it fails the run. Nesting follows from that
 * walk; the run only fails when a failure escapes every block.
 */
import { targetFailed } from "./fleet.js";
import type { Plan } from "../model/plan.js";
import {
  type BlockState,
  type EngineState,
  isSuccessLike,
  type Membership,
  Role,
  Section,
  type SectionCode,
} from "./state.js";

/** Builds every block's state and each step's memberships (innermost block first). */
export function buildBlocks(
  plan: Plan,
  index: ReadonlyMap<string, number>,
  stepCount: number,
): { blocks: BlockState[]; chains: (Membership[] | null)[] } {
  const byId = new Map<string, number>();
  plan.blocks.forEach((b, i) => {
    if (byId.has(b.id)) throw new Error(`invalid plan: duplicate block id '${b.id}'`);
    byId.set(b.id, i);
  });
  const depth = plan.blocks.map((b) => {
    let d = 0;
    for (let p = b.parent; p !== null; d++) {
      const parent = byId.get(p);
      if (parent === undefined)
        throw new Error(`invalid plan: block '${b.id}' has unknown parent '${p}'`);
      if (d > plan.blocks.length)
        throw new Error(`invalid plan: block '${b.id}' is its own ancestor`);
      p = plan.blocks[parent]!.parent;
    }
    return d;
  });
  const chains: (Membership[] | null)[] = new Array<Membership[] | null>(stepCount).fill(null);
  const blocks = plan.blocks.map((b, bi): BlockState => {
    const sections: [readonly string[], SectionCode][] = [
      [b.main, Section.Main],
      [b.rescue, Section.Rescue],
      [b.always, Section.Always],
    ];
    for (const [ids, section] of sections) {
      for (const id of ids) {
        const i = index.get(id);
        if (i === undefined)
          throw new Error(`invalid plan: block '${b.id}' lists unknown step '${id}'`);
        const chain = chains[i] ?? [];
        chain.push({ block: bi, section });
        chains[i] = chain;
      }
    }
    return {
      id: b.id,
      hasRescue: b.rescue.length > 0,
      rescuePending: b.rescue.length,
      mainFailed: false,
      mainFailures: 0,
      mainFailCause: -1,
      rescueClosed: false,
      failed: false,
      failCause: -1,
      entered: false,
    };
  });
  for (const chain of chains) chain?.sort((a, b) => depth[b.block]! - depth[a.block]!);
  return { blocks, chains };
}

export type EdgeKind = "normal" | "rescue" | "always" | "exit";

export interface Edge {
  readonly kind: EdgeKind;
  /** The common block (rescue/always) or the exited block (exit); -1 for normal. */
  readonly block: number;
}

const NORMAL: Edge = { kind: "normal", block: -1 };

/** Classifies the edge "v needs u" (see the module comment). */
export function classifyEdge(s: EngineState, u: number, v: number): Edge {
  const cu = s.chains[u];
  if (cu === null || cu === undefined) return NORMAL;
  const cv = s.chains[v] ?? [];
  let exited = -1;
  for (const mu of cu) {
    const mv = cv.find((m) => m.block === mu.block);
    if (mv === undefined) {
      exited = mu.block;
      continue;
    }
    if (mu.section === Section.Main && mv.section === Section.Rescue) {
      return { kind: "rescue", block: mu.block };
    }
    if (mu.section !== Section.Always && mv.section === Section.Always) {
      return { kind: "always", block: mu.block };
    }
    break;
  }
  return exited === -1 ? NORMAL : { kind: "exit", block: exited };
}

export function inBlock(s: EngineState, i: number, block: number): boolean {
  return s.chains[i]?.some((m) => m.block === block) ?? false;
}

export function blockAt(s: EngineState, b: number): BlockState {
  const block = s.blocks[b];
  if (block === undefined) throw new RangeError(`no block at index ${b}`);
  return block;
}

/** Marks every block holding `i` as entered (one of its steps started). */
export function enterBlocks(s: EngineState, i: number): void {
  for (const m of s.chains[i] ?? []) blockAt(s, m.block).entered = true;
}

/**
 * Whether a step still runs after a failure stopped the run: handlers and
 * compensation steps, and every step of an `always` or (open) `rescue` section.
 */
export function isExempt(s: EngineState, i: number): boolean {
  if (s.role[i] !== Role.Main) return true;
  return s.chains[i]?.some((m) => m.section !== Section.Main) ?? false;
}

/**
 * The rescue gate: the first block whose rescue section holds `i` although its main
 * section did not fail, or -1. Closing that rescue section means a later main
 * failure (from a parallel main step) is no longer held for it.
 */
export function closedRescue(s: EngineState, i: number): number {
  for (const m of s.chains[i] ?? []) {
    const block = blockAt(s, m.block);
    if (m.section === Section.Rescue && !block.mainFailed) {
      block.rescueClosed = true;
      return m.block;
    }
  }
  return -1;
}

/** Walks a failure of step `cause` up from membership `from` of `i` (module comment). */
function escalate(s: EngineState, i: number, from: number, cause: number): void {
  const chain = s.chains[i] ?? [];
  for (let k = from; k < chain.length; k++) {
    const m = chain[k]!;
    const block = blockAt(s, m.block);
    if (m.section === Section.Main) {
      block.mainFailed = true;
      if (block.hasRescue && !block.rescueClosed && block.rescuePending > 0 && !block.failed) {
        if (block.mainFailures === 0) block.mainFailCause = cause;
        block.mainFailures += 1;
        return;
      }
    }
    if (!block.failed) {
      block.failed = true;
      block.failCause = cause;
    }
  }
  failRun(s, cause);
}

/** Records a non-ignored failure of step `i`. */
export function propagateFailure(s: EngineState, i: number): void {
  escalate(s, i, 0, i);
}

function failRun(s: EngineState, cause: number): void {
  if (s.fleet !== null) {
    // A fleet: the failure stops its own host (fleet.ts); the run only when the batch says so.
    s.runFailed = true;
    const abort = targetFailed(s.fleet, cause, false);
    if (abort) s.stopping = true;
    if (abort || !s.options.keepGoing) s.sweepPending = true;
    return;
  }
  if (s.runFailed) return;
  s.runFailed = true;
  if (!s.options.keepGoing) {
    s.stopping = true;
    s.sweepPending = true;
  }
}

/**
 * Bookkeeping after step `i` settled: a rescue section that finished with every
 * step successful rescues its block's held failures; one that ended otherwise
 * (a rescue step failed, was blocked or cancelled) lets them escape upward.
 */
export function noteSettled(s: EngineState, i: number): void {
  const chain = s.chains[i];
  if (chain === null || chain === undefined) return;
  const ok = isSuccessLike(s.status[i] ?? null);
  chain.forEach((m, k) => {
    if (m.section !== Section.Rescue) return;
    const block = blockAt(s, m.block);
    block.rescuePending -= 1;
    if (!block.mainFailed || block.failed) return;
    if (!ok) {
      block.rescueClosed = true;
      block.failed = true;
      block.failCause = block.mainFailCause;
      escalate(s, i, k + 1, block.mainFailCause);
    } else if (block.rescuePending === 0 && !block.rescueClosed) {
      s.stats.rescued += block.mainFailures;
    }
  });
}
