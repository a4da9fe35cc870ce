/**
 * The engine's entry points: `init`, `step`, `isFinished`, `statusOf`, and the
 * handling of each event. See index.ts for the semantics as a whole.
 */
import type {
  Command,
  EngineEvent,
  EngineOptions,
  FailureReason,
  StepStatus,
} from "../model/engine.js";
import type { Plan } from "../model/plan.js";
import { recordBreakerFailure, recordBreakerSuccess } from "./breaker.js";
import { createState } from "./build.js";
import { targetFailed } from "./fleet.js";
import { notifyHandlers } from "./handlers.js";
import { nextRandom } from "./prng.js";
import { DEADLINE_EXCEEDED, KILLED_BY_CANCEL, RUN_CANCELLED } from "./reasons.js";
import { retryDelay, retryMatches } from "./retry.js";
import { pump, sweepQueued } from "./scheduler.js";
import { endRun, enqueue, finalFailure, settle } from "./settle.js";
import { type Ctx, type EngineState, KillCode, Phase, stepAt } from "./state.js";
import { clearTimer, retryTimer, setTimer, timeoutTimer } from "./timers.js";

export type { EngineState } from "./state.js";

export interface Transition {
  state: EngineState;
  commands: Command[];
}

/**
 * Builds the state for `plan` and returns the first commands (the first Starts,
 * plan-time skips, or a Finish for an empty plan). Time is 0. Throws on an invalid
 * plan or options.
 */
export function init(plan: Plan, options: EngineOptions): Transition {
  const state = createState(plan, options);
  const ctx: Ctx = { s: state, out: [], at: 0 };
  pump(ctx);
  return { state, commands: ctx.out };
}

/**
 * Feeds one event to the engine. The state is owned by the run and **updated in
 * place**: the returned `state` is the same object, and an earlier reference must
 * not be reused. Determinism holds per run: the same plan, options and events from
 * `init` give the same commands. Events for attempts that are no longer running
 * (stale) and events after Finish are ignored; an unknown step id throws.
 */
export function step(state: EngineState, event: EngineEvent): Transition {
  const ctx: Ctx = { s: state, out: [], at: event.at };
  if (state.runPhase === "finished") return { state, commands: ctx.out };
  switch (event.type) {
    case "StepStarted":
      indexOf(state, event.stepId);
      break;
    case "StepSucceeded":
      onSucceeded(ctx, indexOf(state, event.stepId), event.attempt, event.changed);
      break;
    case "StepSkipped":
      onSkipped(ctx, indexOf(state, event.stepId), event.reason);
      break;
    case "StepFailed":
      onFailed(ctx, indexOf(state, event.stepId), event.attempt, event.reason, event.message);
      break;
    case "TimerFired":
      onTimer(ctx, event.timerId);
      break;
    case "CancelRequested":
      onCancel(ctx, event.force);
      break;
  }
  pump(ctx);
  return { state, commands: ctx.out };
}

/** Finish has been emitted. */
export function isFinished(state: EngineState): boolean {
  return state.runPhase === "finished";
}

/** A step's terminal status, or where it is on its way there. Throws on an unknown id. */
export function statusOf(
  state: EngineState,
  stepId: string,
): StepStatus | "pending" | "running" | "waiting-retry" {
  const i = indexOf(state, stepId);
  const status = state.status[i];
  if (status !== null && status !== undefined) return status;
  const phase = state.phase[i];
  if (phase === Phase.Running) return "running";
  if (phase === Phase.RetryWait || (phase === Phase.Ready && state.attempt[i]! > 0)) {
    return "waiting-retry";
  }
  return "pending";
}

function indexOf(s: EngineState, stepId: string): number {
  const i = s.index.get(stepId);
  if (i === undefined) throw new RangeError(`unknown step '${stepId}'`);
  return i;
}

function isCurrent(s: EngineState, i: number, attempt: number): boolean {
  return s.phase[i] === Phase.Running && s.attempt[i] === attempt;
}

function onSucceeded(ctx: Ctx, i: number, attempt: number, changed: boolean): void {
  const s = ctx.s;
  if (!isCurrent(s, i, attempt)) return;
  const breaker = stepAt(s, i).policy.breaker;
  if (breaker !== null) recordBreakerSuccess(s.breakers, breaker);
  settle(ctx, i, changed ? "changed" : "ok", null);
  if (changed) notifyHandlers(ctx, i);
}

function onSkipped(ctx: Ctx, i: number, reason: string): void {
  if (ctx.s.phase[i] === Phase.Running) settle(ctx, i, "skipped", reason);
}

/**
 * A failed attempt is retried when the policy has attempts left and retries this
 * kind of failure, the deadline has not fired, and no cancel was requested;
 * otherwise it is the step's final failure.
 */
function onFailed(
  ctx: Ctx,
  i: number,
  attempt: number,
  reason: FailureReason,
  message: string,
): void {
  const s = ctx.s;
  if (!isCurrent(s, i, attempt)) return;
  const { id, policy } = stepAt(s, i);
  const killed = s.killed[i];
  if (killed === KillCode.Cancel) {
    settle(ctx, i, "cancelled", KILLED_BY_CANCEL);
    return;
  }
  if (reason === "unreachable") {
    onUnreachable(ctx, i, message);
    return;
  }
  if (policy.breaker !== null) recordBreakerFailure(s.breakers, policy.breaker, ctx.at);
  const retry = policy.retry;
  const retries =
    retry !== null &&
    attempt < retry.attempts &&
    retryMatches(retry.on, reason) &&
    s.deadlineFired[i] === 0 &&
    killed !== KillCode.Deadline &&
    !s.cancelRequested;
  if (!retries) {
    const text = killed === KillCode.Deadline ? DEADLINE_EXCEEDED : message || reason;
    finalFailure(ctx, i, text);
    return;
  }
  clearTimer(ctx, timeoutTimer(id, attempt));
  endRun(s, i);
  s.phase[i] = Phase.RetryWait;
  s.waitingRetry.add(i);
  let random = 0;
  if (retry.jitter) {
    const draw = nextRandom(s.rng);
    s.rng = draw.state;
    random = draw.value;
  }
  const delayMs = retryDelay(retry, attempt, random);
  ctx.out.push({ type: "Retrying", stepId: id, attempt: attempt + 1, delayMs, reason });
  setTimer(ctx, retryTimer(id), { kind: "retry", step: i, attempt }, delayMs);
}

/**
 * The step's target could not be reached: never retried, and not covered by
 * `ignore_errors` (as Ansible); `ignore_unreachable` makes it `ignored`. Otherwise the
 * host is down: its remaining steps end blocked (fleet.ts).
 */
function onUnreachable(ctx: Ctx, i: number, message: string): void {
  const s = ctx.s;
  if (stepAt(s, i).policy.ignore_unreachable === true) {
    settle(ctx, i, "ignored", message);
    return;
  }
  if (s.fleet !== null) {
    if (targetFailed(s.fleet, i, true)) s.stopping = true;
    s.sweepPending = true;
  }
  settle(ctx, i, "failed", message);
}

function onTimer(ctx: Ctx, timerId: string): void {
  const s = ctx.s;
  const timer = s.timers.get(timerId);
  if (timer === undefined) return;
  s.timers.delete(timerId);
  const i = timer.step;
  const phase = s.phase[i];
  switch (timer.kind) {
    case "timeout":
      if (isCurrent(s, i, timer.attempt) && s.killed[i] === KillCode.None) {
        s.killed[i] = KillCode.Timeout;
        ctx.out.push({ type: "Kill", stepId: stepAt(s, i).id, reason: "timeout" });
      }
      return;
    case "deadline":
      s.deadlineFired[i] = 1;
      if (phase === Phase.Running && s.killed[i] !== KillCode.Cancel) {
        s.killed[i] = KillCode.Deadline;
        ctx.out.push({ type: "Kill", stepId: stepAt(s, i).id, reason: "deadline" });
      } else if (phase === Phase.RetryWait || phase === Phase.Ready) {
        finalFailure(ctx, i, DEADLINE_EXCEEDED);
      }
      return;
    case "retry":
      if (phase === Phase.RetryWait) {
        s.waitingRetry.delete(i);
        enqueue(s, i);
      }
      return;
  }
}

/**
 * Cancel: start nothing new and retry nothing (queued and retry-waiting steps end
 * `cancelled`; steps that become ready later too), let running steps finish; with
 * `force`, also kill every running step (it then ends `cancelled`).
 */
function onCancel(ctx: Ctx, force: boolean): void {
  const s = ctx.s;
  if (!s.cancelRequested) {
    s.cancelRequested = true;
    for (const i of [...s.waitingRetry].sort((a, b) => a - b)) {
      settle(ctx, i, "cancelled", RUN_CANCELLED);
    }
    sweepQueued(ctx);
  }
  if (!force) return;
  for (const i of s.running) {
    if (s.killed[i] === KillCode.Cancel) continue;
    s.killed[i] = KillCode.Cancel;
    ctx.out.push({ type: "Kill", stepId: stepAt(s, i).id, reason: "cancel" });
  }
}
