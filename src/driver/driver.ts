/**
 * `execute`: runs a plan (SPEC §3). Sets up the event bus, the journal records of a
 * new segment and the signal handling around one `RunLoop` (run-loop.ts), which is
 * where the engine meets the world.
 *
 * Signals: SIGINT once starts nothing new and lets running steps finish; a second
 * SIGINT, or SIGTERM or SIGHUP at any time, kills the running process groups (TERM,
 * then KILL after the grace period) so that nothing is left running, then the run
 * ends with its summary. The journal is synced before `execute` resolves.
 */
import { ENGINE_VERSION } from "../engine/index.js";
import type { RunHistory } from "../journal/history.js";
import { JOURNAL_FORMAT, type JournalSink } from "../journal/records.js";
import type { EngineOptions, RunOutcome, RunStats } from "../model/engine.js";
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { currentBootId, processStart } from "../journal/process-id.js";
import { localTransport } from "../transports/local.js";
import type { Transport } from "../transports/transport.js";
import { eventRedactor, maskedJournal } from "../secrets/boundary.js";
import { runVault } from "../secrets/index.js";
import { EventBus, newRunId, type Subscriber } from "./bus.js";
import { OutputFiles } from "./output-files.js";
import { RunLoop } from "./run-loop.js";
import { localTargets, type TargetSet } from "./targets.js";
import { VERSION } from "./version.js";

export interface ExecuteOptions {
  /** Absolute directory of the root playbook: relative paths in the plan are relative to it. */
  rootDir: string;
  /** The playbook (or saved plan) this run comes from, for run.started. */
  playbook: string;
  dryRun?: boolean;
  /** @default 10 */
  jobs?: number;
  keepGoing?: boolean;
  compensate?: boolean;
  /** Seed of the engine's jitter; random when absent (and reported in run.started). */
  seed?: number;
  runId?: string;
  subscribers?: Subscriber[];
  transport?: Transport;
  /**
   * The run's targets, made from its local transport (see targets.ts). @default this
   * machine only
   */
  targets?: (local: Transport) => TargetSet;
  /** Fleet runs: at most this many hosts with a step running (`--forks`). @default jobs */
  forks?: number;
  /** Environment for env()/has_env() in runtime expressions. @default process.env */
  env?: Record<string, string | undefined>;
  /** Install SIGINT/SIGTERM/SIGHUP handling (see the file comment). */
  handleSignals?: boolean;
  /** Where the run's records go (see journal/records.ts); none = an unjournaled run. */
  journal?: JournalSink;
  /** Segment number of this run in its journal. @default 1 */
  segment?: number;
  /** `strict`: sync the journal before every step starts. @default "group" */
  durability?: "group" | "strict";
  /** What earlier segments of this run finished (for a resume). */
  history?: RunHistory;
  /**
   * Where each step's whole output goes (`<step id>.stdout`/`.stderr`, see output-files.ts).
   * Without it, only output longer than its limit is written, to `<tmpdir>/cairn-<run id>/`.
   */
  outputDir?: string;
  /** Bytes of each output stream a result keeps, for steps without `output_limit`. @default 256 KiB */
  outputLimit?: number;
}

export interface ExecuteResult {
  runId: string;
  outcome: RunOutcome;
  stats: RunStats;
  durationMs: number;
  /** The signal that ended the run, if one did. */
  signal: "SIGINT" | "SIGTERM" | "SIGHUP" | null;
  /** Steps started again because an earlier segment was interrupted while they ran. */
  reran: string[];
  /** The directory of the output files, when any was written (or `outputDir` was given). */
  outputDir: string | null;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export async function execute(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  const runId = options.runId ?? newRunId();
  // A plain copy: each attempt adds its CAIRN_* variables to it, and spreading
  // process.env itself (a C++ accessor per variable) cost a visible part of every step.
  const env = options.env ?? { ...process.env };
  const vault = runVault(plan, env, options.rootDir);
  const bus = new EventBus(
    runId,
    undefined,
    vault === null ? null : eventRedactor(plan, vault.masker),
  );
  for (const s of options.subscribers ?? []) bus.subscribe(s);
  const journal =
    options.journal === undefined
      ? null
      : vault === null
        ? options.journal
        : maskedJournal(options.journal, vault.masker);
  if (journal !== null) bus.subscribe(journalSubscriber(journal));
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const engineOptions: EngineOptions = {
    jobs: options.jobs ?? 10,
    keepGoing: options.keepGoing ?? false,
    compensate: options.compensate ?? plan.on_failure === "compensate",
    seed,
    ...(options.forks === undefined ? {} : { forks: options.forks }),
  };
  const dryRun = options.dryRun ?? false;
  journal?.append({
    rec: "open",
    segment: options.segment ?? 1,
    format: JOURNAL_FORMAT,
    cairn_version: VERSION,
    engine_version: ENGINE_VERSION,
    options: engineOptions,
    dry_run: dryRun,
    started: new Date().toISOString(),
    pid: process.pid,
  });
  const outputFiles = new OutputFiles(options.outputDir, runId);
  const transport =
    options.transport ??
    localTransport(
      journal === null
        ? {}
        : {
            onSpawn: (pid, owner) =>
              journal.append({
                rec: "proc",
                step_id: owner ?? "",
                pid,
                start: processStart(pid),
                boot_id: currentBootId(),
              }),
            onExit: (pid) => journal.append({ rec: "proc_exit", pid }),
          },
    );
  bus.emit({
    type: "run.started",
    playbook: options.playbook,
    dry_run: dryRun,
    // Handlers count in the total: they are numbered after the steps ("[7/7] restart app").
    total_steps: plan.steps.length + plan.handlers.length,
    seed,
  });
  bus.emit({
    type: "plan.loaded",
    digest: plan.digest,
    steps: plan.steps.length,
    handlers: plan.handlers.length,
  });

  const loop = new RunLoop({
    plan,
    runId,
    bus,
    engineOptions,
    rootDir: options.rootDir,
    dryRun,
    targets: options.targets?.(transport) ?? localTargets(transport),
    env,
    journal,
    vault,
    strict: options.durability === "strict",
    history: options.history ?? null,
    outputFiles,
    outputLimit: options.outputLimit,
  });

  let signal: ExecuteResult["signal"] = null;
  let interrupts = 0;
  const onSignal = (name: (typeof SIGNALS)[number]) => {
    if (signal !== "SIGTERM" && signal !== "SIGHUP") signal = name;
    interrupts += 1;
    loop.cancel(name !== "SIGINT" || interrupts > 1);
  };
  const handlers = SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  if (options.handleSignals === true) for (const [n, h] of handlers) process.on(n, h);
  try {
    const end = await loop.start();
    await journal?.sync();
    const outputDir = outputFiles.everyStream || outputFiles.used ? outputFiles.dir : null;
    return { runId, ...end, signal, outputDir };
  } finally {
    if (options.handleSignals === true) for (const [n, h] of handlers) process.off(n, h);
  }
}

/**
 * What of the event stream the journal keeps: every event, except that a step's output
 * stops being journaled after its first JOURNAL_OUTPUT_BYTES (the whole stream is in
 * the run's output files), so that a step printing gigabytes does not copy them twice.
 */
const JOURNAL_OUTPUT_BYTES = 64 * 1024;

function journalSubscriber(journal: JournalSink): Subscriber {
  const written = new Map<string, number>();
  return (event: RunEvent) => {
    if (event.type === "step.output") {
      const key = `${event.step_id}\u0000${event.attempt}`;
      const so_far = written.get(key) ?? 0;
      if (so_far >= JOURNAL_OUTPUT_BYTES) return;
      written.set(key, so_far + event.line.length);
    }
    journal.append({ rec: "event", event });
  };
}
