/**
 * `--report FILE` of `run`, `apply` and `resume`: the HTML report written when the
 * run ends, from the events this process saw plus the journal of earlier segments.
 * A dry run or `--no-journal` run gets a report too (its events are all it needs).
 */
import type { RunMeta } from "../journal/meta.js";
import type { JournalRecord } from "../journal/records.js";
import { buildRunModel } from "../journal/run-model.js";
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { writeFileAtomic } from "./write-file.js";

export class ReportRecorder {
  private readonly events: RunEvent[] = [];

  constructor(
    readonly path: string,
    private readonly earlier: readonly JournalRecord[],
  ) {}

  onEvent(e: RunEvent): void {
    this.events.push(e);
  }

  /** Renders and writes the report; a failure to write is a warning, not the run's outcome. */
  async write(plan: Plan, meta: RunMeta): Promise<void> {
    const { renderReport } = await import("../report/html/page.js");
    let seq = this.earlier.length;
    const records: JournalRecord[] = [
      ...this.earlier,
      ...this.events.map((event) => ({ seq: ++seq, rec: "event" as const, event })),
    ];
    const runId = this.events[0]?.run_id ?? meta.run_id;
    try {
      const model = buildRunModel(plan, { ...meta, run_id: runId }, meta.outcome, records);
      writeFileAtomic(this.path, renderReport(model));
      process.stderr.write(`report: ${this.path}\n`);
    } catch (e) {
      process.stderr.write(
        `warning: cannot write the report ${this.path}: ${(e as Error).message}\n`,
      );
    }
  }
}
