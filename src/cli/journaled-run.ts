/**
 * Executing a plan as a journaled run: the part shared by `run`, `apply` and
 * `resume`. Opens (or reopens) the run in the store, stops what a crashed writer left
 * running, executes with a reporter, records the outcome in `meta.json`, and returns
 * the exit code (0, 1, 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
import { execute } from "../driver/index.js";
import { readHistory, type RunHistory } from "../journal/history.js";
import type { RunMeta } from "../journal/meta.js";
import type { OpenRun } from "../journal/store.js";
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { selectReporter } from "../report/select.js";
import { EXIT } from "./exit.js";
import { stopLeftovers } from "./leftovers.js";
import { RunRecorder } from "./run-report.js";
import { stdoutSink } from "./stdout.js";

export interface RunSettings {
  dryRun: boolean;
  diff: boolean;
  jobs: number;
  keepGoing: boolean;
  compensate: boolean;
  json: boolean;
  durability: "group" | "strict";
  /** `--report FILE`: the HTML report, written when the run ends. */
  report?: string;
  /** Export the run as an OpenTelemetry trace when it ends. */
  otel?: boolean;
}

export interface RunInput {
  plan: Plan;
  rootDir: string;
  playbook: string;
  runId?: string;
  /** The open run to journal into; null = not journaled (a dry run). */
  run: OpenRun | null;
}

export function newMeta(runId: string, input: RunInput, dryRun: boolean): RunMeta {
  return {
    run_id: runId,
    playbook: input.playbook,
    root_dir: input.rootDir,
    plan_digest: input.plan.digest,
    started: new Date().toISOString(),
    ended: null,
    outcome: "running",
    stats: null,
    duration_ms: null,
    segments: 0,
    reran: [],
    dry_run: dryRun,
  };
}

const SIGNAL_EXIT = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;

export async function executeRun(input: RunInput, settings: RunSettings): Promise<number> {
  const { run } = input;
  let history: RunHistory | undefined;
  if (run !== null) {
    for (const w of run.warnings) process.stderr.write(`warning: ${w}\n`);
    if (run.records.length > 0) {
      const registers = new Set(
        [...input.plan.steps, ...input.plan.handlers]
          .filter((s) => s.register !== null)
          .map((s) => s.id),
      );
      history = readHistory(run.records, (id) => registers.has(id));
      const stopped = await stopLeftovers(run.runId, history.leftovers);
      if (stopped.length > 0)
        process.stderr.write(
          `stopped ${stopped.length} process${stopped.length === 1 ? "" : "es"} left running by the interrupted run (pid ${stopped.join(", ")})\n`,
        );
    }
  }
  const out = stdoutSink();
  const reporter = selectReporter({
    json: settings.json,
    stdout: out,
    stderr: { write: (s) => process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    env: process.env,
    diff: settings.diff || settings.dryRun,
  });
  const want = { report: settings.report ?? null, otel: settings.otel === true };
  const recorder =
    want.report === null && !want.otel ? null : new RunRecorder(want, run?.records ?? []);
  const segment = (history?.segments ?? 0) + 1;
  if (run !== null) {
    // Recorded now: a crash of this segment must not lose that these steps run again.
    const reran = [...new Set([...run.meta.reran, ...(history?.inFlight ?? [])])];
    run.saveMeta({ ...run.meta, outcome: "running", ended: null, segments: segment, reran });
  }
  const result = await execute(input.plan, {
    rootDir: input.rootDir,
    playbook: input.playbook,
    dryRun: settings.dryRun,
    jobs: settings.jobs,
    keepGoing: settings.keepGoing,
    compensate: settings.compensate,
    handleSignals: true,
    durability: settings.durability,
    segment,
    subscribers: [(e: RunEvent) => reporter.onEvent(e), (e: RunEvent) => recorder?.onEvent(e)],
    ...(input.runId === undefined ? {} : { runId: input.runId }),
    ...(run === null ? {} : { journal: run.journal }),
    ...(history === undefined ? {} : { history }),
  });
  reporter.close();
  out.flush();
  if (run !== null) {
    run.saveMeta({
      ...run.meta,
      ended: new Date().toISOString(),
      outcome: result.outcome,
      stats: result.stats,
      duration_ms: Date.now() - Date.parse(run.meta.started),
    });
    await run.close();
  }
  if (recorder !== null) {
    const meta = run?.meta ?? newMeta(input.runId ?? "dry-run", input, settings.dryRun);
    await recorder.finish(input.plan, { ...meta, outcome: result.outcome, stats: result.stats });
  }
  if (result.signal !== null) return SIGNAL_EXIT[result.signal];
  if (result.outcome === "cancelled") return EXIT.interrupted;
  return result.outcome === "success" ? EXIT.ok : EXIT.failed;
}
