/**
 * The retry policy as pure functions: which failures are retried (`on`) and how
 * long to wait before the next attempt (exponential backoff, capped, with optional
 * "equal jitter" drawn from the engine's seeded PRNG).
 */
import type { FailureReason } from "../model/engine.js";
import type { RetryPolicy } from "../model/plan.js";

/**
 * Whether `on` retries a failure of this kind. `any` matches everything; `timeout`,
 * `rc!=0` (or `rc`) and `error` match their reason; an empty list means "any
 * failure except a kill". Breaker fast-fails and deadline kills are never retried:
 * another attempt could only fail the same way.
 */
export function retryMatches(on: readonly string[], reason: FailureReason): boolean {
  if (reason === "breaker-open" || reason === "deadline") return false;
  if (on.length === 0) return reason !== "killed";
  return on.some(
    (kind) =>
      kind === "any" ||
      (kind === "timeout" && reason === "timeout") ||
      ((kind === "rc!=0" || kind === "rc") && reason === "rc") ||
      (kind === "error" && reason === "error"),
  );
}

/**
 * The delay before retry `n` (n = 1 for the first retry, after attempt 1 failed):
 * `min(delay_ms * backoff^(n-1), max_delay_ms)`. With `jitter`, the delay is scaled by
 * a factor in [0.5, 1.0) from `random` (uniform in [0, 1)): "equal jitter", which
 * spreads retries of many steps apart yet never waits less than half the backoff.
 * Rounded to whole milliseconds; capped at MAX_SAFE_INTEGER when backoff overflows.
 */
export function retryDelay(policy: RetryPolicy, n: number, random: number): number {
  const base = policy.delay_ms * policy.backoff ** (n - 1);
  const capped = policy.max_delay_ms === null ? base : Math.min(base, policy.max_delay_ms);
  const jittered = policy.jitter ? capped * (0.5 + 0.5 * random) : capped;
  const ms = Math.round(jittered);
  return Number.isFinite(ms)
    ? Math.min(Math.max(ms, 0), Number.MAX_SAFE_INTEGER)
    : Number.MAX_SAFE_INTEGER;
}
