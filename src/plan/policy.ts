/**
 * Execution policy of a step (timeouts, retries, deadline, breaker) from its fields.
 *
 * Decisions where SPEC is silent:
 * - mooncake's `retries: N` means N retries after the first attempt, with a fixed
 *   `retry_delay` (default 1s), retried on any failure.
 * - the full `retry:` form defaults to 3 attempts, 1s delay, backoff 2, max 30s, jitter on.
 * - a `breaker:` given as a string is the key, with threshold 5 and cooldown 30s.
 */
import type { BreakerPolicy, RetryPolicy, StepPolicy } from "../model/plan.js";
import { parseDuration, parseSize } from "../schema/index.js";

export type PolicyProblem = { field: string; message: string };

/** A field read by `parse`; what it is not is a problem with an example of what it should be. */
function parsed(
  parse: (v: unknown) => number | null,
  what: string,
): (raw: unknown, field: string, problems: PolicyProblem[]) => number | null {
  return (raw, field, problems) => {
    if (raw === undefined || raw === null) return null;
    const value = parse(raw);
    if (value === null) problems.push({ field, message: `'${String(raw)}' is not ${what}` });
    return value;
  };
}

const duration = parsed(parseDuration, "a duration (try 30s, 5m, 1h30m or 500ms)");
const size = parsed(parseSize, "a size (try 256KiB, 1MiB or a number of bytes)");

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

function toStringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

export function buildPolicy(step: Record<string, unknown>, problems: PolicyProblem[]): StepPolicy {
  let retry: RetryPolicy | null = null;
  if (step.retry !== undefined && step.retry !== null) {
    const r = asRecord(step.retry);
    const attempts = typeof step.retry === "number" ? step.retry : Number(r.attempts ?? 3);
    retry = {
      attempts: Math.max(1, Math.floor(attempts)),
      delay_ms: duration(r.delay ?? "1s", "retry.delay", problems) ?? 1000,
      backoff: r.backoff === undefined ? 2 : Number(r.backoff),
      max_delay_ms: duration(r.max_delay ?? "30s", "retry.max_delay", problems),
      jitter: r.jitter === undefined ? true : Boolean(r.jitter),
      on: r.on === undefined ? ["any"] : toStringList(r.on),
    };
  } else if (step.retries !== undefined && step.retries !== null && Number(step.retries) > 0) {
    retry = {
      attempts: Math.floor(Number(step.retries)) + 1,
      delay_ms: duration(step.retry_delay ?? "1s", "retry_delay", problems) ?? 1000,
      backoff: 1,
      max_delay_ms: null,
      jitter: false,
      on: ["any"],
    };
  }
  let breaker: BreakerPolicy | null = null;
  if (typeof step.breaker === "string") {
    breaker = { key: step.breaker, threshold: 5, cooldown_ms: 30_000 };
  } else if (step.breaker !== undefined && step.breaker !== null) {
    const b = asRecord(step.breaker);
    breaker = {
      key: String(b.key),
      threshold: b.threshold === undefined ? 5 : Number(b.threshold),
      cooldown_ms: duration(b.cooldown ?? "30s", "breaker.cooldown", problems) ?? 30_000,
    };
  }
  return {
    timeout_ms: duration(step.timeout, "timeout", problems),
    retry,
    ignore_errors: step.ignore_errors === true,
    deadline_ms: duration(step.deadline, "deadline", problems),
    breaker,
    output_limit: size(step.output_limit, "output_limit", problems),
    register_full: step.register_full === true,
    // Present only when set, so that plans without them keep their digests.
    ...(step.durable === true ? { durable: true as const } : {}),
    ...(step.on_interrupt === "fail" ? { on_interrupt: "fail" as const } : {}),
    ...(step.ignore_unreachable === true ? { ignore_unreachable: true as const } : {}),
  };
}
