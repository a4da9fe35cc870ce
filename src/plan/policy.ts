/**
 * Execution policy of a step (timeouts, retries, deadline, breaker, output) from its
 * normalized fields: src/schema decided durations, sizes and the policies' defaults
 * (see normalize.ts retryOf/breakerOf); only the breaker's key may be a template.
 */
import type { StepPolicy } from "../model/plan.js";
import type { ActionStep } from "../schema/index.js";

export function buildPolicy(step: ActionStep, breakerKey: string | null): StepPolicy {
  return {
    timeout_ms: step.timeout_ms,
    retry: step.retry,
    ignore_errors: step.ignore_errors === true,
    deadline_ms: step.deadline_ms,
    breaker:
      step.breaker === null ? null : { ...step.breaker, key: breakerKey ?? step.breaker.key },
    output_limit: step.output_limit,
    register_full: step.register_full,
    // Present only when set, so that plans without them keep their digests.
    ...(step.durable ? { durable: true as const } : {}),
    ...(step.on_interrupt === "fail" ? { on_interrupt: "fail" as const } : {}),
    ...(step.ignore_unreachable ? { ignore_unreachable: true as const } : {}),
  };
}
