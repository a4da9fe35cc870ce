/**
 * Circuit breakers: consecutive attempt failures counted per `policy.breaker.key`
 * across steps. At `threshold` the breaker opens and further attempts of steps with
 * that key fail fast until `cooldown_ms` has passed since it opened (time is the
 * event's `at`). After the cooldown attempts go through again ("half-open"): one
 * success closes it, one more failure reopens it from that moment.
 */
import type { BreakerPolicy } from "../model/plan.js";

export interface BreakerState {
  /** Consecutive failed attempts since the last success. */
  failures: number;
  /** `at` of the failure that (re)opened the breaker, or null while closed. */
  openedAt: number | null;
}

export type Breakers = Map<string, BreakerState>;

/** Whether an attempt of a step with this policy must fail fast at `at`. */
export function breakerOpen(breakers: Breakers, policy: BreakerPolicy, at: number): boolean {
  const state = breakers.get(policy.key);
  return state !== undefined && state.openedAt !== null && at - state.openedAt < policy.cooldown_ms;
}

export function recordBreakerFailure(breakers: Breakers, policy: BreakerPolicy, at: number): void {
  const state = breakers.get(policy.key) ?? { failures: 0, openedAt: null };
  state.failures += 1;
  if (state.failures >= policy.threshold) state.openedAt = at;
  breakers.set(policy.key, state);
}

export function recordBreakerSuccess(breakers: Breakers, policy: BreakerPolicy): void {
  breakers.delete(policy.key);
}
