/**
 * The scheduler: after every event, judge the steps whose needs settled, start
 * ready steps in key order while `jobs` and group limits allow, and move the run
 * through its end phases (main flow → handlers → compensation → Finish).
 */
import type { RunOutcome } from "../model/engine.js";
import { enterBlocks, isExempt } from "./blocks.js";
import { breakerOpen } from "./breaker.js";
import { beginCompensation, advanceCompensation } from "./compensation.js";
import { advanceHandlers, type PhaseProgress } from "./handlers.js";
import { breakerIsOpen, RUN_CANCELLED, RUN_STOPPED } from "./reasons.js";
import { drainResolve } from "./resolve.js";
import { type FleetState, fleetVerdict, needsFork } from "./fleet.js";
import { beginRun, finalFailure, park, releaseParked, settle } from "./settle.js";
import { type Ctx, type EngineState, Phase, stepAt } from "./state.js";
import { deadlineTimer, setTimer, timeoutTimer } from "./timers.js";

/** Runs the engine forward until it waits for the driver. */
export function pump(ctx: Ctx): void {
  const s = ctx.s;
  for (;;) {
    drainResolve(ctx);
    if (s.sweepPending) {
      sweepQueued(ctx);
      continue;
    }
    startReady(ctx);
    if (s.resolveQueue.length > 0 || s.sweepPending) continue;
    if (!advancePhase(ctx)) return;
  }
}

function startReady(ctx: Ctx): void {
  const s = ctx.s;
  // A breaker fast-fail can stop the run: sweep the queue before starting anything else.
  while (s.running.size < s.options.jobs && !s.sweepPending) {
    const i = s.ready.pop();
    if (i === undefined) return;
    const group = stepAt(s, i).group;
    if (s.phase[i] !== Phase.Ready) {
      // Settled while queued (a deadline during a retry wait): pass its group turn on.
      releaseParked(s, i);
      continue;
    }
    if (group !== null && group.max !== null && (s.groupRunning.get(group.id) ?? 0) >= group.max) {
      park(s, group.id, i);
      continue;
    }
    if (s.fleet !== null && needsFork(s.fleet, i)) {
      s.fleet.waitingFork.push(i);
      continue;
    }
    // A breaker fast-fail settles instead of starting: the group slot is still free.
    if (!start(ctx, i)) releaseParked(s, i);
  }
}

/** Starts the next attempt of `i`, unless its circuit breaker is open; true if it started. */
function start(ctx: Ctx, i: number): boolean {
  const s = ctx.s;
  const { id, policy } = stepAt(s, i);
  if (policy.breaker !== null && breakerOpen(s.breakers, policy.breaker, ctx.at)) {
    finalFailure(ctx, i, breakerIsOpen(policy.breaker.key));
    return false;
  }
  const attempt = s.attempt[i]! + 1;
  s.attempt[i] = attempt;
  s.killed[i] = 0;
  beginRun(s, i);
  enterBlocks(s, i);
  ctx.out.push({ type: "Start", stepId: id, attempt });
  if (policy.timeout_ms !== null) {
    setTimer(
      ctx,
      timeoutTimer(id, attempt),
      { kind: "timeout", step: i, attempt },
      policy.timeout_ms,
    );
  }
  if (attempt === 1 && policy.deadline_ms !== null) {
    setTimer(ctx, deadlineTimer(id), { kind: "deadline", step: i, attempt }, policy.deadline_ms);
  }
  return true;
}

/**
 * Re-examines every queued step after a stop or a cancel: a cancel cancels them
 * all; a stop cancels the first attempts of non-exempt steps (retries of steps
 * already in flight finish, like running steps do).
 */
export function sweepQueued(ctx: Ctx): void {
  const s = ctx.s;
  s.sweepPending = false;
  const queued = s.ready.drain();
  for (const parked of s.parked.values()) queued.push(...parked.drain());
  if (s.fleet !== null) queued.push(...s.fleet.waitingFork.drain());
  queued.sort((a, b) => s.keys[a]! - s.keys[b]! || a - b);
  for (const i of queued) {
    if (s.phase[i] !== Phase.Ready) continue;
    if (s.cancelRequested) settle(ctx, i, "cancelled", RUN_CANCELLED);
    else if (s.attempt[i]! > 0) s.ready.push(i);
    else if (s.fleet !== null) {
      const stopped = stoppedHere(s, s.fleet, i);
      if (stopped === null) s.ready.push(i);
      else settle(ctx, i, ...stopped);
    } else if (!isExempt(s, i)) settle(ctx, i, "cancelled", RUN_STOPPED);
    else s.ready.push(i);
  }
}

/** A queued first attempt whose host went down: how it settles (see admitOnHost), or null. */
function stoppedHere(
  s: EngineState,
  f: FleetState,
  i: number,
): [status: "blocked" | "cancelled", reason: string] | null {
  const v = fleetVerdict(f, i, s.options.keepGoing);
  if (v === null || (v.status === "cancelled" && isExempt(s, i))) return null;
  return [v.status, v.reason];
}

/** Moves to the next end phase when the current one is over; false when there is nothing to do. */
function advancePhase(ctx: Ctx): boolean {
  const s = ctx.s;
  switch (s.runPhase) {
    case "main":
      if (s.mainUnsettled > 0) return false;
      s.runPhase = "handlers";
      return true;
    case "handlers":
      return afterProgress(s, advanceHandlers(ctx), () => {
        beginCompensation(s);
        s.runPhase = "compensation";
      });
    case "compensation":
      return afterProgress(s, advanceCompensation(ctx), () => finish(ctx));
    case "finished":
      return false;
  }
}

function afterProgress(s: EngineState, progress: PhaseProgress, next: () => void): boolean {
  if (progress === "busy") return false;
  if (progress === "done") next();
  return s.runPhase !== "finished";
}

function finish(ctx: Ctx): void {
  const s = ctx.s;
  s.runPhase = "finished";
  const outcome: RunOutcome = s.cancelRequested ? "cancelled" : s.runFailed ? "failed" : "success";
  ctx.out.push({ type: "Finish", outcome, stats: { ...s.stats } });
}
