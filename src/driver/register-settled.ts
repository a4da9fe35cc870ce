/**
 * What a settled step registers (SPEC §1.4: `register`) and what a dry run learns
 * from it: a result known only after a real run registers as unknown (prediction.ts),
 * a skipped step registers `{skipped: true}` as Ansible does.
 */
import type { Command } from "../model/engine.js";
import type { PlanStep } from "../model/plan.js";
import type { AttemptOutcome } from "./attempt.js";
import type { UnknownValues } from "./prediction.js";
import type { RuntimeScopes } from "./runtime-scope.js";

export function registerSettled(
  scopes: RuntimeScopes,
  unknowns: UnknownValues,
  step: PlanStep,
  c: Extract<Command, { type: "Settled" }>,
  outcome: AttemptOutcome | undefined,
): void {
  if (outcome?.kind === "unknown") {
    scopes.register(step, {});
    if (outcome.cause === null) unknowns.notRun(step);
    else unknowns.unknownBecause(step, outcome.cause);
  } else if (outcome?.kind === "succeeded" && outcome.resultUnknown === true) {
    scopes.register(step, { changed: outcome.changed, failed: false });
    unknowns.notRun(step);
  } else if (outcome !== undefined && outcome.kind !== "skipped") {
    scopes.register(
      step,
      outcome.registered ??
        outcome.result ?? { failed: true, msg: outcome.kind === "failed" ? outcome.message : "" },
    );
    unknowns.known(step);
  } else if (c.status === "skipped") {
    // As Ansible: a skipped step still registers, so `r is skipped` and `r.changed` work.
    scopes.register(step, {
      changed: false,
      skipped: true,
      skip_reason: c.reason ?? "skipped",
    });
  }
}
