/**
 * Per-host counts of a fleet run (SPEC §1.6), for the summary table (host, ok,
 * changed, failed, unreachable, skipped) and the run's `failed-hosts` file. A host
 * counts as unreachable when a step on it failed because it could not be reached.
 */
import type { StepStatus } from "../model/engine.js";
import type { HostSummary as HostCounts } from "../model/events.js";

export class HostStats {
  private readonly counts = new Map<string, HostCounts>();

  constructor(targets: readonly string[]) {
    for (const t of targets)
      this.counts.set(t, { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0, not_run: 0 });
  }

  note(target: string, status: StepStatus | "unknown", unreachable: boolean): void {
    const c = this.counts.get(target);
    if (c === undefined) return;
    if (status === "failed" && unreachable) c.unreachable += 1;
    else if (status === "failed") c.failed += 1;
    else if (status === "ok" || status === "ignored" || status === "unknown") c.ok += 1;
    else if (status === "changed") c.changed += 1;
    else if (status === "skipped") c.skipped += 1;
    else if (status === "blocked" || status === "cancelled") c.not_run += 1;
  }

  /** Every host with its counts, in inventory order. */
  table(): Record<string, HostCounts> {
    return Object.fromEntries(this.counts);
  }

  /** Hosts with a failed or unreachable step, in inventory order (for `--limit @file`). */
  failedHosts(): string[] {
    return [...this.counts].filter(([, c]) => c.failed + c.unreachable > 0).map(([h]) => h);
  }
}
