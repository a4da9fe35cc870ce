/**
 * Durable runs in the library API (SPEC §5): `resume`, `listRuns`, `readRun` and
 * `replay` beside `execute`. `executeInRun` is what `cairn run`, `apply` and `resume`
 * share: executing a plan into an open run of the store — a new one, or one reopened
 * with its journal, in which case what finished is restored from history, what the
 * dead run left running is stopped first, and `meta.json` says which steps ran again.
 */
import { resolve } from "node:path";
import { type ExecuteOptions, type ExecuteResult, execute, newRunId } from "../driver/index.js";
import { FileStore } from "../journal/file-store.js";
import { readHistory, type RunHistory } from "../journal/history.js";
import type { ListedOutcome, RunMeta } from "../journal/meta.js";
import type { JournalRecord } from "../journal/records.js";
import { type ReplayResult, replay as replayRecords } from "../journal/replay.js";
import type { OpenRun } from "../journal/store.js";
import { buildRunModel, type RunModel } from "../journal/run-model.js";
import type { Plan } from "../model/plan.js";
import type { Result } from "../model/result.js";
import { stopLeftovers } from "./leftovers.js";
import { staleReasons } from "./stale.js";

export type { ReplayResult } from "../journal/replay.js";
export type { RunMeta } from "../journal/meta.js";
export type { RunModel, StepModel } from "../journal/run-model.js";

export interface StateOptions {
  /** Where runs are kept. @default $CAIRN_STATE_DIR, else `.cairn` in the current directory */
  stateDir?: string;
}

export type DurableOptions = Omit<ExecuteOptions, "journal" | "history" | "segment" | "runId"> & {
  /** Lock takeovers, torn tails cut, processes of a dead run stopped. */
  onWarning?: (message: string) => void;
};

export function openStore(opts: StateOptions = {}): FileStore {
  return new FileStore(resolve(opts.stateDir ?? process.env.CAIRN_STATE_DIR ?? ".cairn"));
}

/** Executes `plan` into `run`, then records the outcome and closes the run (its lock too). */
export async function executeInRun(
  run: OpenRun,
  plan: Plan,
  options: DurableOptions,
): Promise<ExecuteResult> {
  const warn = options.onWarning ?? (() => {});
  for (const w of run.warnings) warn(w);
  let history: RunHistory | undefined;
  if (run.records.length > 0) {
    const registers = new Set(
      [...plan.steps, ...plan.handlers].filter((s) => s.register !== null).map((s) => s.id),
    );
    history = readHistory(run.records, (id) => registers.has(id));
    const stopped = await stopLeftovers(run.runId, history.leftovers);
    if (stopped.length > 0)
      warn(
        `stopped ${stopped.length} process${stopped.length === 1 ? "" : "es"} left running by the interrupted run (pid ${stopped.join(", ")})`,
      );
  }
  const segment = (history?.segments ?? 0) + 1;
  // Recorded before anything runs: a crash of this segment must not lose that these run again.
  const reran = [...new Set([...run.meta.reran, ...(history?.inFlight ?? [])])];
  run.saveMeta({ ...run.meta, outcome: "running", ended: null, segments: segment, reran });
  try {
    const result = await execute(plan, {
      ...options,
      runId: run.runId,
      journal: run.journal,
      outputDir: run.outputDir,
      segment,
      ...(history === undefined ? {} : { history }),
    });
    run.saveMeta({
      ...run.meta,
      ended: new Date().toISOString(),
      outcome: result.outcome,
      stats: result.stats,
      duration_ms: Date.now() - Date.parse(run.meta.started),
    });
    return result;
  } finally {
    await run.close();
  }
}

/** Executes `plan` as a new journaled run in the store (what `cairn run` does). */
export async function executeJournaled(
  plan: Plan,
  options: StateOptions & DurableOptions & { runId?: string },
): Promise<Result<ExecuteResult, string>> {
  const { stateDir, runId: given, ...rest } = options;
  const runId = given ?? newRunId();
  const store = openStore(stateDir === undefined ? {} : { stateDir });
  const run = store.create(runId, plan, newRunMeta(runId, plan, rest.rootDir, rest.playbook));
  if (!run.ok) return { ok: false, error: run.message };
  return { ok: true, value: await executeInRun(run.value, plan, rest) };
}

/** A new run's meta.json. */
export function newRunMeta(
  runId: string,
  plan: Plan,
  rootDir: string,
  playbook: string,
  dryRun = false,
): RunMeta {
  return {
    run_id: runId,
    playbook,
    root_dir: rootDir,
    plan_digest: plan.digest,
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

/**
 * Continues a run from its journal (SPEC §3.3): refuses a stale plan (the error names
 * each change) and a run locked by a live process; otherwise executes the saved plan
 * with what finished restored.
 */
export async function resume(
  runId: string,
  options: StateOptions & Omit<DurableOptions, "rootDir" | "playbook"> = {},
): Promise<Result<ExecuteResult, string>> {
  const store = openStore(options);
  const opened = store.reopen(runId);
  if (!opened.ok) return { ok: false, error: opened.message };
  const run = opened.value;
  const problem = run.meta.dry_run
    ? `run ${runId} was a dry run; there is nothing to resume`
    : staleMessage(runId, staleReasons(run.plan, run.meta.root_dir));
  if (problem !== null) {
    await run.close();
    return { ok: false, error: problem };
  }
  const { stateDir: _stateDir, ...rest } = options;
  const result = await executeInRun(run, run.plan, {
    ...rest,
    rootDir: run.meta.root_dir,
    playbook: run.meta.playbook,
  });
  return { ok: true, value: result };
}

function staleMessage(runId: string, reasons: string[]): string | null {
  if (reasons.length === 0) return null;
  return `cannot resume run ${runId}: its plan is stale\n${reasons.map((r) => `  ${r}`).join("\n")}`;
}

/** The run history, newest first; a run whose writer died without an end is `crashed`. */
export function listRuns(
  opts: StateOptions = {},
): (Omit<RunMeta, "outcome"> & { outcome: ListedOutcome })[] {
  const store = openStore(opts);
  return store
    .list()
    .map((m) =>
      m.outcome === "running" && !store.isLive(m.run_id) ? { ...m, outcome: "crashed" } : m,
    );
}

export interface RunRecord {
  meta: Omit<RunMeta, "outcome"> & { outcome: ListedOutcome };
  plan: Plan;
  records: JournalRecord[];
  /** The run as the report and `cairn show` see it: per step status, attempts, timings. */
  model: RunModel;
}

/** One run read back: its meta, plan, journal and per-step summary. */
export function readRun(runId: string, opts: StateOptions = {}): Result<RunRecord, string> {
  const store = openStore(opts);
  const read = store.read(runId);
  if (!read.ok) return { ok: false, error: read.message };
  const { meta, plan, records } = read.value;
  const outcome: ListedOutcome =
    meta.outcome === "running" && !store.isLive(runId) ? "crashed" : meta.outcome;
  return {
    ok: true,
    value: {
      meta: { ...meta, outcome },
      plan,
      records,
      model: buildRunModel(plan, meta, outcome, records),
    },
  };
}

/** Re-drives the engine from a run's journal and checks it issues the recorded commands. */
export function replay(runId: string, opts: StateOptions = {}): Result<ReplayResult, string> {
  const read = openStore(opts).read(runId);
  if (!read.ok) return { ok: false, error: read.message };
  return { ok: true, value: replayRecords(read.value.plan, read.value.records) };
}
