/**
 * Compensation (sagas): when the run failed (not when it was cancelled) and
 * compensation is on (`options.compensate` or `on_failure: compensate`), every step
 * that ended ok/changed and lists `compensate` steps is undone after the handlers:
 * originals in reverse completion order, their compensation steps in listed order,
 * one step at a time. When all of an original's compensation steps succeed it is
 * settled again as `compensated` (the one documented second Settled of a step;
 * stats move it from ok/changed to compensated); if one fails the original keeps its
 * status and the rest are still compensated. A compensation step runs at most once
 * even if several steps list it. Compensation steps never run in the normal flow;
 * the ones not needed settle `skipped` (or `cancelled` after a cancel) at the end.
 */
import type { PhaseProgress } from "./handlers.js";
import {
  COMPENSATION_DISABLED,
  compensatedBy,
  NO_COMPENSATION_NEEDED,
  RUN_CANCELLED,
} from "./reasons.js";
import { admit } from "./resolve.js";
import { settle } from "./settle.js";
import { type Ctx, type EngineState, idOf, isSuccessLike, Phase, Role } from "./state.js";

function enabled(s: EngineState): boolean {
  return s.options.compensate || s.plan.on_failure === "compensate";
}

/** Decides what to undo, once the handlers are done. */
export function beginCompensation(s: EngineState): void {
  s.compOrder = enabled(s) && s.runFailed && !s.cancelRequested ? s.completions.toReversed() : [];
  s.compCursor = 0;
  s.compInner = 0;
  s.compBroken = false;
}

/** Moves compensation forward; when done, settles the compensation steps left unused. */
export function advanceCompensation(ctx: Ctx): PhaseProgress {
  const s = ctx.s;
  while (s.compCursor < s.compOrder.length) {
    const original = s.compOrder[s.compCursor]!;
    const steps = s.compensations[original]!;
    while (s.compInner < steps.length) {
      const c = steps[s.compInner]!;
      const phase = s.phase[c];
      if (phase === Phase.Done) {
        if (!isSuccessLike(s.status[c] ?? null)) s.compBroken = true;
        s.compInner += 1;
        continue;
      }
      if (phase !== Phase.Waiting) return "busy";
      admit(ctx, c);
      if (s.phase[c] !== Phase.Done) return "queued";
    }
    if (!s.compBroken) markCompensated(ctx, original, steps);
    s.compCursor += 1;
    s.compInner = 0;
    s.compBroken = false;
  }
  settleUnused(ctx);
  return "done";
}

function markCompensated(ctx: Ctx, i: number, steps: readonly number[]): void {
  const s = ctx.s;
  const previous = s.status[i];
  if (previous !== "ok" && previous !== "changed") return;
  const reason = compensatedBy(steps.map((c) => idOf(s, c)));
  s.stats[previous] -= 1;
  s.stats.compensated += 1;
  s.status[i] = "compensated";
  s.reasons[i] = reason;
  ctx.out.push({ type: "Settled", stepId: idOf(s, i), status: "compensated", reason });
}

function settleUnused(ctx: Ctx): void {
  const s = ctx.s;
  const reason = s.cancelRequested
    ? RUN_CANCELLED
    : s.runFailed && !enabled(s)
      ? COMPENSATION_DISABLED
      : NO_COMPENSATION_NEEDED;
  for (let i = 0; i < s.plan.steps.length; i++) {
    if (s.role[i] === Role.Compensation && s.phase[i] === Phase.Waiting) {
      settle(ctx, i, s.cancelRequested ? "cancelled" : "skipped", reason);
    }
  }
}
