/**
 * Timers by name. The driver owns the clocks; the engine only asks for them
 * (SetTimer/ClearTimer) and remembers which are live, so that a TimerFired for a
 * timer it no longer cares about (a finished attempt, a settled step) is ignored.
 *
 * Names: `timeout:<id>:<attempt>`, `deadline:<id>`, `retry:<id>`.
 */
import { type Ctx, type EngineState, stepAt, type TimerRef } from "./state.js";

export const timeoutTimer = (id: string, attempt: number): string => `timeout:${id}:${attempt}`;
export const deadlineTimer = (id: string): string => `deadline:${id}`;
export const retryTimer = (id: string): string => `retry:${id}`;

export function setTimer(ctx: Ctx, timerId: string, ref: TimerRef, ms: number): void {
  ctx.s.timers.set(timerId, ref);
  ctx.out.push({ type: "SetTimer", timerId, ms });
}

export function clearTimer(ctx: Ctx, timerId: string): void {
  if (ctx.s.timers.delete(timerId)) ctx.out.push({ type: "ClearTimer", timerId });
}

/** Clears whatever timers step `i` still has (it settled). */
export function clearStepTimers(ctx: Ctx, i: number): void {
  const s: EngineState = ctx.s;
  const { id, policy } = stepAt(s, i);
  if (policy.timeout_ms !== null) clearTimer(ctx, timeoutTimer(id, s.attempt[i]!));
  if (policy.deadline_ms !== null) clearTimer(ctx, deadlineTimer(id));
  if (policy.retry !== null) clearTimer(ctx, retryTimer(id));
}
