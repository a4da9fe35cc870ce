/**
 * Handlers: a step that ends `changed` notifies the handlers in its `notify` list
 * (one Notified command per handler per run, journaled so resume keeps it). Once the
 * main flow has settled, notified handlers run one at a time in `plan.handlers`
 * order as ordinary steps (timeouts, retries, ignore_errors), also after a failure
 * (`--force-handlers` semantics), but not after a cancel. The plan's `needs` of a
 * handler are not used: the flush order is the chain. A failing handler fails the
 * run but does not stop the handlers after it. Handlers nobody notified settle
 * `skipped` ("not notified") so that every step of the plan ends exactly once.
 */
import { NOT_NOTIFIED } from "./reasons.js";
import { admit } from "./resolve.js";
import { settle } from "./settle.js";
import { type Ctx, idOf, Phase } from "./state.js";

/** The step `i` changed: notify its handlers that are neither notified nor already done. */
export function notifyHandlers(ctx: Ctx, i: number): void {
  const s = ctx.s;
  for (const h of s.notifies[i]!) {
    if (s.notified[h] === 1 || s.phase[h] === Phase.Done) continue;
    s.notified[h] = 1;
    ctx.out.push({ type: "Notified", stepId: idOf(s, i), handlerId: idOf(s, h) });
  }
}

/** Where a phase of the end of the run stands after a call to advance it. */
export type PhaseProgress = "done" | "queued" | "busy";

/** Moves the handler flush forward: settles the un-notified, queues the next notified one. */
export function advanceHandlers(ctx: Ctx): PhaseProgress {
  const s = ctx.s;
  const first = s.plan.steps.length;
  while (s.handlerCursor < s.plan.handlers.length) {
    const h = first + s.handlerCursor;
    const phase = s.phase[h];
    if (phase === Phase.Done) {
      s.handlerCursor += 1;
      continue;
    }
    if (phase !== Phase.Waiting) return "busy";
    if (s.notified[h] !== 1) {
      settle(ctx, h, "skipped", NOT_NOTIFIED);
      continue;
    }
    admit(ctx, h);
    if (s.phase[h] !== Phase.Done) return "queued";
  }
  return "done";
}
