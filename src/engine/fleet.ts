/**
 * Fleet semantics of the engine (SPEC §1.6), active only when the plan has `fleet`:
 *
 * - A failure stops its own target, not the run: the target's steps that have not
 *   started end `cancelled` ("host stopped after a failure"); other targets go on. The
 *   run still ends `failed`.
 * - An `unreachable` failure ends every remaining step of its target `blocked`
 *   ("host unreachable"), unless the step says `ignore_unreachable` (then it is
 *   `ignored` and the host goes on).
 * - Batches (`serial`): a step of batch k+1 is held until every main step of batch k
 *   settled. After each failed host, `max_fail_percentage` is judged on the current
 *   batch: more than that percentage of its hosts failed (or, when unset, all of
 *   them, as Ansible) aborts the run — nothing new starts, on any host. 100 never aborts.
 * - `forks`: at most N targets have a step running at once; a step of another target
 *   waits in a queue of its own until one of them has nothing running.
 */
import { ReadyQueue } from "./ready-queue.js";
import type { EngineState } from "./state.js";
import { Role } from "./state.js";

export const HOST_STOPPED = "host stopped after a failure";
export const hostUnreachable = (host: string): string => `host '${host}' is unreachable`;
export const batchAborted = (batch: number, pct: number | null): string =>
  pct === null
    ? `every host of batch ${batch} failed: the run is aborted`
    : `more than ${pct}% of batch ${batch}'s hosts failed (max_fail_percentage): the run is aborted`;

export interface FleetState {
  readonly targets: readonly string[];
  /** Step index → target index (the step's own target; delegation does not move it). */
  readonly targetOf: Int32Array;
  /** Target index → batch index. */
  readonly batchOf: Int32Array;
  readonly batchSize: Int32Array;
  readonly maxFailPercentage: number | null;
  /** Main steps not yet settled, per target and per batch. */
  readonly targetUnsettled: Int32Array;
  readonly batchUnsettled: Int32Array;
  /** Per target: a failure reached the top unrescued (1), or the host was unreachable (2). */
  readonly down: Uint8Array;
  readonly failedInBatch: Int32Array;
  /** Running steps per target (for forks). */
  readonly running: Int32Array;
  activeTargets: number;
  readonly forks: number;
  /** The batch whose steps may start. */
  batch: number;
  /** Steps of later batches admitted before their batch began, by batch. */
  readonly held: number[][];
  /** Steps waiting for a fork. */
  readonly waitingFork: ReadyQueue;
  /** The reason the run was aborted by max_fail_percentage, or null. */
  aborted: string | null;
}

export const TargetDown = { Up: 0, Failed: 1, Unreachable: 2 } as const;

export function createFleet(
  s: Pick<EngineState, "plan" | "steps" | "role" | "keys">,
  forks: number,
): FleetState | null {
  const fleet = s.plan.fleet;
  if (fleet === undefined) return null;
  const targetIndex = new Map(fleet.targets.map((t, i) => [t, i]));
  const targetOf = Int32Array.from(s.steps, (step) => targetIndex.get(step.target) ?? 0);
  const batchOf = new Int32Array(fleet.targets.length);
  const batchSize = new Int32Array(Math.max(1, fleet.batches.length));
  fleet.batches.forEach((b, k) => {
    batchSize[k] = b.length;
    for (const t of b) batchOf[targetIndex.get(t) ?? 0] = k;
  });
  const targetUnsettled = new Int32Array(fleet.targets.length);
  const batchUnsettled = new Int32Array(batchSize.length);
  s.steps.forEach((_, i) => {
    if (s.role[i] !== Role.Main) return;
    const t = targetOf[i]!;
    targetUnsettled[t]! += 1;
    batchUnsettled[batchOf[t]!]! += 1;
  });
  return {
    targets: fleet.targets,
    targetOf,
    batchOf,
    batchSize,
    maxFailPercentage: fleet.max_fail_percentage,
    targetUnsettled,
    batchUnsettled,
    down: new Uint8Array(fleet.targets.length),
    failedInBatch: new Int32Array(batchSize.length),
    running: new Int32Array(fleet.targets.length),
    activeTargets: 0,
    forks: Math.max(1, forks),
    batch: 0,
    held: Array.from(batchSize, () => []),
    waitingFork: new ReadyQueue(s.keys),
    aborted: null,
  };
}

/** Why a step free to run must not start because of its host, or null. */
export function fleetVerdict(
  f: FleetState,
  i: number,
  keepGoing: boolean,
): { status: "blocked" | "cancelled"; reason: string } | null {
  const t = f.targetOf[i]!;
  if (f.down[t] === TargetDown.Unreachable)
    return { status: "blocked", reason: hostUnreachable(f.targets[t]!) };
  // --keep-going: a host that failed still runs what its failure does not block.
  if (f.down[t] === TargetDown.Failed && !keepGoing)
    return { status: "cancelled", reason: HOST_STOPPED };
  if (f.aborted !== null) return { status: "cancelled", reason: f.aborted };
  return null;
}

/** A step of a later batch is held (true) until its batch begins. */
export function holdForBatch(f: FleetState, i: number, role: number): boolean {
  if (role !== Role.Main) return false;
  const b = f.batchOf[f.targetOf[i]!]!;
  if (b <= f.batch) return false;
  f.held[b]!.push(i);
  return true;
}

/** Whether starting `i` needs a fork that is not free (the caller parks it). */
export function needsFork(f: FleetState, i: number): boolean {
  return f.running[f.targetOf[i]!] === 0 && f.activeTargets >= f.forks;
}

export function fleetBeginRun(f: FleetState, i: number): void {
  const t = f.targetOf[i]!;
  if (f.running[t] === 0) f.activeTargets += 1;
  f.running[t]! += 1;
}

/** True when the step's target now has nothing running (a fork was freed). */
export function fleetEndRun(f: FleetState, i: number): boolean {
  const t = f.targetOf[i]!;
  f.running[t]! -= 1;
  if (f.running[t]! > 0) return false;
  f.activeTargets -= 1;
  return true;
}

/**
 * A failure (not ignored, not rescued) of step `i`: its target is down; judge the
 * batch. Returns true when the run must stop everywhere (max_fail_percentage).
 */
export function targetFailed(f: FleetState, i: number, unreachable: boolean): boolean {
  const t = f.targetOf[i]!;
  const was = f.down[t]!;
  if (unreachable) f.down[t] = TargetDown.Unreachable;
  else if (was === TargetDown.Up) f.down[t] = TargetDown.Failed;
  if (was !== TargetDown.Up || f.aborted !== null) return false;
  const b = f.batchOf[t]!;
  f.failedInBatch[b]! += 1;
  const size = f.batchSize[b]!;
  const failed = f.failedInBatch[b]!;
  const pct = f.maxFailPercentage;
  const abort = pct === null ? failed >= size : pct < 100 && (failed * 100) / size > pct;
  if (abort) f.aborted = batchAborted(b + 1, pct);
  return abort;
}

/**
 * A main step of `i`'s target settled. When that ends the current batch, the next
 * batch begins: its held steps are returned to be admitted.
 */
export function fleetSettled(f: FleetState, i: number): number[] {
  const t = f.targetOf[i]!;
  f.targetUnsettled[t]! -= 1;
  const b = f.batchOf[t]!;
  f.batchUnsettled[b]! -= 1;
  const released: number[] = [];
  while (f.batch < f.batchSize.length - 1 && f.batchUnsettled[f.batch] === 0) {
    f.batch += 1;
    released.push(...f.held[f.batch]!.splice(0));
  }
  return released;
}

/** Every step waiting for a fork goes back to the ready queue (re-parked if still full). */
export function releaseForks(s: EngineState, f: FleetState): void {
  for (let i = f.waitingFork.pop(); i !== undefined; i = f.waitingFork.pop()) s.ready.push(i);
}
