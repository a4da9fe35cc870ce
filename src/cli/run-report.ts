/**
 * What `run`, `apply` and `resume` produce from a run once it ends, besides its
 * journal: the HTML report (`--report FILE`) and the OpenTelemetry trace (`--otel`).
 * Both fold the events this process saw, after the journal of earlier segments, so a
 * dry run or `--no-journal` run gets them too. A failure to write either is a
 * warning, not the run's outcome.
 */
import type { RunMeta } from "../journal/meta.js";
import type { JournalRecord } from "../journal/records.js";
import { buildRunModel } from "../journal/run-model.js";
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { writeFileAtomic } from "./write-file.js";

export class RunRecorder {
  private readonly events: RunEvent[] = [];

  constructor(
    private readonly want: { report: string | null; otel: boolean },
    private readonly earlier: readonly JournalRecord[],
  ) {}

  onEvent(e: RunEvent): void {
    this.events.push(e);
  }

  async finish(plan: Plan, meta: RunMeta): Promise<void> {
    let seq = this.earlier.length;
    const records: JournalRecord[] = [
      ...this.earlier,
      ...this.events.map((event) => ({ seq: ++seq, rec: "event" as const, event })),
    ];
    const runId = this.events[0]?.run_id ?? meta.run_id;
    const model = buildRunModel(plan, { ...meta, run_id: runId }, meta.outcome, records);
    const path = this.want.report;
    if (path !== null) {
      const { renderReport } = await import("../report/html/page.js");
      try {
        writeFileAtomic(path, renderReport(model));
        process.stderr.write(`report: ${path}\n`);
      } catch (e) {
        process.stderr.write(`warning: cannot write the report ${path}: ${(e as Error).message}\n`);
      }
    }
    if (this.want.otel) {
      const { exportTrace } = await import("./otel.js");
      await exportTrace(model, plan.blocks);
    }
  }
}
