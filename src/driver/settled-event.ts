/**
 * The event a settled step goes out as (SPEC §3.4): `step.completed` (ok, changed,
 * ignored; `unknown` in a dry run when its outcome is known only after a real run),
 * `step.failed`, `step.skipped` (skipped, blocked, cancelled) or `step.compensated`.
 * A pure function of the engine's verdict, the attempt's outcome and the run's facts.
 */
import type { Command } from "../model/engine.js";
import type { RunEventPayload, StepRef } from "../model/events.js";
import type { PlanStep } from "../model/plan.js";
import type { AttemptOutcome } from "./attempt.js";
import { unknownFileDiff } from "./prediction.js";

export interface SettledFacts {
  ref: StepRef;
  /** A resumed run took the outcome from an earlier segment's journal. */
  restored: boolean;
  durationMs: number;
  dryRun: boolean;
  /** Dry run: why the outcome is known only after a real run, or null. */
  unknown: string | null;
}

export function settledEvent(
  c: Extract<Command, { type: "Settled" }>,
  step: PlanStep,
  outcome: AttemptOutcome | undefined,
  f: SettledFacts,
): RunEventPayload {
  const restored = f.restored ? { restored: true } : {};
  switch (c.status) {
    case "compensated":
      return { type: "step.compensated", by: step.compensate, ...f.ref };
    case "ok":
    case "changed":
    case "ignored": {
      if (f.unknown !== null) {
        const diff = unknownFileDiff(step);
        return {
          type: "step.completed",
          status: "unknown",
          changed: false,
          predicted: "unknown",
          reason: f.unknown,
          ...(diff === null ? {} : { diff }),
          duration_ms: f.durationMs,
          result: {},
          ...f.ref,
        };
      }
      const predicted = f.dryRun
        ? { predicted: c.status === "changed" ? ("changed" as const) : ("unchanged" as const) }
        : {};
      const result =
        outcome !== undefined && outcome.kind !== "skipped" && outcome.kind !== "unknown"
          ? (outcome.result ?? {})
          : {};
      const payload = {
        type: "step.completed" as const,
        status: c.status,
        changed: c.status === "changed",
        duration_ms: f.durationMs,
        result,
        ...predicted,
        ...restored,
        ...f.ref,
      };
      if (outcome?.kind === "succeeded" && outcome.diff !== undefined)
        return { ...payload, diff: outcome.diff };
      if (outcome?.kind === "failed") return { ...payload, error: outcome.message };
      return payload;
    }
    case "failed":
      return {
        type: "step.failed",
        status: "failed",
        error: outcome?.kind === "failed" ? outcome.message : (c.reason ?? "failed"),
        origin: step.origin,
        duration_ms: f.durationMs,
        result: outcome?.kind === "failed" ? outcome.result : null,
        ...(outcome?.kind === "failed" && outcome.reason === "unreachable"
          ? { unreachable: true as const }
          : {}),
        ...f.ref,
      };
    case "skipped":
    case "blocked":
    case "cancelled":
      return {
        type: "step.skipped",
        status: c.status,
        reason: c.reason ?? c.status,
        ...restored,
        ...f.ref,
      };
  }
}
