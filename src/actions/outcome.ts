/** Small constructors for ActionOutcome, so every action shapes results the same way. */
import type { FailureReason } from "../model/engine.js";
import type { ActionOutcome } from "./types.js";

export function succeeded(
  changed: boolean,
  result: Record<string, unknown>,
  diff?: string,
): ActionOutcome {
  const out: ActionOutcome = {
    changed,
    failure: null,
    result: { ...result, changed, failed: false },
  };
  if (diff !== undefined && diff !== "") out.diff = diff;
  return out;
}

export function failedWith(
  reason: FailureReason,
  message: string,
  result: Record<string, unknown> = {},
): ActionOutcome {
  return {
    changed: false,
    failure: { reason, message },
    result: { ...result, changed: false, failed: true, msg: message },
  };
}
