/**
 * A dry run's bookkeeping of predictions (SPEC §3.2, issue 10): which steps were
 * predicted unknown, which handlers a step certain to change notified, why a settled
 * step's outcome is known only after a real run, and the run's stats with those steps
 * counted as `unknown` instead of ok/changed. In a real run it answers "known".
 */
import type { RunStats, StepStatus } from "../model/engine.js";
import type { PlanStep } from "../model/plan.js";
import type { AttemptOutcome } from "./attempt.js";

export class DryRunTally {
  private readonly unknownSteps = new Set<string>();
  /** Handlers notified by a step certain to change (not only by unknown ones). */
  private readonly certainlyNotified = new Set<string>();
  /** Unknown steps the engine counted as ok or changed. */
  private readonly counted = { ok: 0, changed: 0 };
  private readonly handlers: Set<string>;

  constructor(
    private readonly dryRun: boolean,
    handlers: readonly PlanStep[],
  ) {
    this.handlers = new Set(handlers.map((h) => h.id));
  }

  /** The step's outcome is known only after a real run (it may change: its handlers are notified). */
  markUnknown(stepId: string): void {
    this.unknownSteps.add(stepId);
  }

  notified(stepId: string, handlerId: string): void {
    if (!this.unknownSteps.has(stepId)) this.certainlyNotified.add(handlerId);
  }

  /** Why this settled step's outcome is known only after a real run, or null; counts it. */
  settled(step: PlanStep, status: StepStatus, outcome: AttemptOutcome | undefined): string | null {
    if (status !== "ok" && status !== "changed" && status !== "ignored") return null;
    const reason =
      outcome?.kind === "unknown"
        ? outcome.reason
        : this.dryRun &&
            this.handlers.has(step.id) &&
            status !== "ignored" &&
            !this.certainlyNotified.has(step.id)
          ? "whether it runs is known after run: only steps whose changes are known after run notify it"
          : null;
    if (reason !== null && status !== "ignored") this.counted[status] += 1;
    return reason;
  }

  /** The engine's stats as the run reports them (a dry run moves unknown steps to `unknown`). */
  stats(stats: RunStats): RunStats & { unknown?: number } {
    if (!this.dryRun) return stats;
    const { ok, changed } = this.counted;
    return { ...stats, ok: stats.ok - ok, changed: stats.changed - changed, unknown: ok + changed };
  }
}
