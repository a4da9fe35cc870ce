/**
 * Builds the initial engine state from a plan: indices for ids, the DAG as
 * needs/dependant index lists with remaining-need counts, handler and
 * compensation links, and block memberships. An invalid plan (duplicate or unknown
 * ids, a cycle, a bad limit) is a bug upstream: it throws rather than hanging.
 */
import { createFleet } from "./fleet.js";
import { type EngineOptions, emptyStats } from "../model/engine.js";
import type { Plan, PlanStep } from "../model/plan.js";
import { buildBlocks } from "./blocks.js";
import { seedState } from "./prng.js";
import { ReadyQueue } from "./ready-queue.js";
import { type EngineState, Role } from "./state.js";

/** The shared empty index list (most steps have no notify, no compensate). */
const NONE: readonly number[] = Object.freeze([]);

function invalid(message: string): Error {
  return new Error(`invalid plan: ${message}`);
}

function indexSteps(steps: readonly PlanStep[]): Map<string, number> {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (index.has(step.id)) throw invalid(`duplicate step id '${step.id}'`);
    if (step.group !== null && step.group.max !== null && step.group.max < 1) {
      throw invalid(`step '${step.id}': group '${step.group.id}' max must be at least 1`);
    }
    index.set(step.id, i);
  });
  return index;
}

/** Kahn's algorithm over the main flow: throws naming a step on a cycle. */
function checkAcyclic(
  steps: readonly PlanStep[],
  needs: readonly (readonly number[])[],
  dependants: readonly (readonly number[])[],
  role: Uint8Array,
): void {
  const remaining = needs.map((n) => n.length);
  const queue: number[] = [];
  let mainCount = 0;
  remaining.forEach((r, i) => {
    if (role[i] !== Role.Main) return;
    mainCount += 1;
    if (r === 0) queue.push(i);
  });
  for (let k = 0; k < queue.length; k++) {
    for (const d of dependants[queue[k]!]!) {
      remaining[d] = remaining[d]! - 1;
      if (remaining[d] === 0) queue.push(d);
    }
  }
  if (queue.length < mainCount) {
    const stuck = remaining.findIndex((r, i) => r > 0 && role[i] === Role.Main);
    throw invalid(`dependency cycle through step '${steps[stuck]?.id}'`);
  }
}

export function createState(plan: Plan, options: EngineOptions): EngineState {
  if (!Number.isInteger(options.jobs) || options.jobs < 1) {
    throw new RangeError(`jobs must be a positive integer, got ${options.jobs}`);
  }
  const steps = [...plan.steps, ...plan.handlers];
  const total = steps.length;
  const mainCount = plan.steps.length;
  const index = indexSteps(steps);
  const lookup = (owner: string, id: string, what: string): number => {
    const i = index.get(id);
    if (i === undefined) throw invalid(`step '${owner}' ${what} unknown step '${id}'`);
    return i;
  };

  const role = new Uint8Array(total).fill(Role.Main);
  role.fill(Role.Handler, mainCount);
  const compensations = steps.map((step, i) =>
    i >= mainCount || step.compensate.length === 0
      ? NONE
      : step.compensate.map((id) => {
          const c = lookup(step.id, id, "compensates with");
          if (c >= mainCount) throw invalid(`step '${step.id}' compensates with handler '${id}'`);
          role[c] = Role.Compensation;
          return c;
        }),
  );
  const notifies = steps.map((step) =>
    step.notify.length === 0
      ? NONE
      : step.notify.map((id) => {
          const h = lookup(step.id, id, "notifies");
          if (h < mainCount)
            throw invalid(`step '${step.id}' notifies '${id}', which is not a handler`);
          return h;
        }),
  );
  const needs: (readonly number[])[] = new Array(total).fill(NONE);
  // Most steps have one dependant or none: lists are made on the first one.
  const dependantLists: (number[] | undefined)[] = new Array(total);
  for (let i = 0; i < mainCount; i++) {
    const step = steps[i]!;
    if (role[i] !== Role.Main || step.needs.length === 0) continue;
    const list: number[] = [];
    for (const id of step.needs) {
      const u = lookup(step.id, id, "needs");
      if (u >= mainCount) throw invalid(`step '${step.id}' needs handler '${id}'`);
      // Compensation steps are outside the main flow: an edge to one constrains nothing.
      if (role[u] !== Role.Main || list.includes(u)) continue;
      list.push(u);
      dependantLists[u] ??= [];
      dependantLists[u].push(i);
    }
    needs[i] = list;
  }
  const dependants = Array.from(dependantLists, (list): readonly number[] => list ?? NONE);
  checkAcyclic(steps, needs, dependants, role);
  const { blocks, chains } = buildBlocks(plan, index, total);

  const remaining = Int32Array.from(needs, (list: readonly number[]) => list.length);
  const keys = new Float64Array(total);
  const resolveQueue: number[] = [];
  let mainUnsettled = 0;
  for (let i = 0; i < mainCount; i++) {
    if (role[i] !== Role.Main) continue;
    mainUnsettled += 1;
    if (remaining[i] === 0) resolveQueue.push(i);
  }
  const fleet = createFleet({ plan, steps, role, keys }, options.forks ?? options.jobs);
  return {
    fleet,
    plan,
    options,
    steps,
    index,
    role,
    needs,
    dependants,
    notifies,
    compensations,
    chains,
    blocks,
    remaining,
    phase: new Uint8Array(total),
    status: new Array(total).fill(null),
    reasons: new Array(total).fill(null),
    cause: new Int32Array(total).fill(-1),
    attempt: new Int32Array(total),
    killed: new Uint8Array(total),
    deadlineFired: new Uint8Array(total),
    notified: new Uint8Array(total),
    keys,
    ready: new ReadyQueue(keys),
    parked: new Map(),
    running: new Set(),
    groupRunning: new Map(),
    waitingRetry: new Set(),
    timers: new Map(),
    breakers: new Map(),
    resolveQueue,
    completions: [],
    stats: emptyStats(),
    rng: seedState(options.seed),
    mainUnsettled,
    runPhase: "main",
    runFailed: false,
    stopping: false,
    sweepPending: false,
    cancelRequested: false,
    handlerCursor: 0,
    compOrder: [],
    compCursor: 0,
    compInner: 0,
    compBroken: false,
  };
}
