/**
 * The transitions every path shares: queue a step, end a running attempt, and
 * settle a step (its one terminal status). Settling is where stats are counted,
 * timers cleared, failures escalated through blocks, and dependants whose last
 * need just ended put on the resolve worklist.
 */
import type { StepStatus } from "../model/engine.js";
import { noteSettled, propagateFailure } from "./blocks.js";
import { fleetBeginRun, fleetEndRun, fleetSettled, releaseForks } from "./fleet.js";
import { ReadyQueue } from "./ready-queue.js";
import { type Ctx, type EngineState, Phase, Role, stepAt } from "./state.js";
import { clearStepTimers } from "./timers.js";

/** Retries jump the queue (their step already holds the user's attention), then plan order. */
const FIRST_ATTEMPT_OFFSET = 2 ** 40;

export function enqueue(s: EngineState, i: number): void {
  s.phase[i] = Phase.Ready;
  s.keys[i] = (s.attempt[i]! > 0 ? 0 : FIRST_ATTEMPT_OFFSET) + stepAt(s, i).seq;
  s.ready.push(i);
}

/** Holds a ready step back until its group has room. */
export function park(s: EngineState, group: string, i: number): void {
  let queue = s.parked.get(group);
  if (queue === undefined) {
    queue = new ReadyQueue(s.keys);
    s.parked.set(group, queue);
  }
  queue.push(i);
}

export function beginRun(s: EngineState, i: number): void {
  s.phase[i] = Phase.Running;
  s.running.add(i);
  if (s.fleet !== null) fleetBeginRun(s.fleet, i);
  const group = stepAt(s, i).group;
  if (group !== null) s.groupRunning.set(group.id, (s.groupRunning.get(group.id) ?? 0) + 1);
}

/** The running attempt of `i` is over: free its job slot and its group slot. */
export function endRun(s: EngineState, i: number): void {
  s.running.delete(i);
  if (s.fleet !== null && fleetEndRun(s.fleet, i)) releaseForks(s, s.fleet);
  const group = stepAt(s, i).group;
  if (group === null) return;
  s.groupRunning.set(group.id, (s.groupRunning.get(group.id) ?? 1) - 1);
  releaseParked(s, i);
}

/**
 * Moves one parked step of `i`'s group back to the ready queue if the group has
 * room. Called whenever a group slot frees or a step released for it did not take
 * it (it settled instead of starting), so a group never waits with nothing running.
 */
export function releaseParked(s: EngineState, i: number): void {
  const group = stepAt(s, i).group;
  const parked = group === null ? undefined : s.parked.get(group.id);
  if (group === null || parked === undefined) return;
  if (group.max !== null && (s.groupRunning.get(group.id) ?? 0) >= group.max) return;
  // Skip entries that settled while parked (a deadline during a retry wait).
  for (let next = parked.pop(); next !== undefined; next = parked.pop()) {
    if (s.phase[next] === Phase.Ready) {
      s.ready.push(next);
      return;
    }
  }
}

/**
 * Gives step `i` its terminal status. `cause` is the step whose failure or
 * cancellation this status stems from (itself unless propagated).
 */
export function settle(
  ctx: Ctx,
  i: number,
  status: StepStatus,
  reason: string | null,
  cause: number = i,
): void {
  const s = ctx.s;
  const phase = s.phase[i];
  const step = stepAt(s, i);
  if (phase === Phase.Done) throw new Error(`engine bug: step '${step.id}' settled twice`);
  if (phase === Phase.Running) endRun(s, i);
  s.waitingRetry.delete(i);
  clearStepTimers(ctx, i);
  s.phase[i] = Phase.Done;
  s.status[i] = status;
  s.reasons[i] = reason;
  s.cause[i] = cause;
  s.stats[status] += 1;
  ctx.out.push({ type: "Settled", stepId: step.id, status, reason });
  if (status === "failed") propagateFailure(s, i);
  noteSettled(s, i);
  if (s.role[i] !== Role.Main) return;
  s.mainUnsettled -= 1;
  // The end of a batch lets the next one in: its held steps are judged again.
  if (s.fleet !== null) s.resolveQueue.push(...fleetSettled(s.fleet, i));
  if ((status === "ok" || status === "changed") && step.compensate.length > 0) {
    s.completions.push(i);
  }
  for (const d of s.dependants[i]!) {
    s.remaining[d] = s.remaining[d]! - 1;
    if (s.remaining[d] === 0) s.resolveQueue.push(d);
  }
}

/** The last attempt failed for good: `ignored` under ignore_errors, else `failed`. */
export function finalFailure(ctx: Ctx, i: number, message: string): void {
  const ignore = stepAt(ctx.s, i).policy.ignore_errors;
  settle(ctx, i, ignore ? "ignored" : "failed", message);
}
