/**
 * One run of a plan: the loop between the pure engine and the world (SPEC §3.1).
 * It feeds events to the engine and carries out its commands; it owns the timers,
 * the abort controllers of running attempts and the signals; it appends every
 * engine input (with the commands it produced) and every public event to the
 * journal before carrying out the next command. A resumed run is the same loop with
 * a history: a Start for a step that finished well in an earlier segment is answered
 * from the journal instead of run again.
 */
import { type EngineState, init, step as engineStep } from "../engine/index.js";
import type { RestoredOutcome, RunHistory } from "../journal/history.js";
import type { JournalSink } from "../journal/records.js";
import type { Command, EngineEvent, EngineOptions, RunStats } from "../model/engine.js";
import type { Plan, PlanStep } from "../model/plan.js";
import { HostStats } from "./host-stats.js";
import { settledEvent } from "./settled-event.js";
import { DryRunTally } from "./dry-run-tally.js";
import { registerSettled } from "./register-settled.js";
import type { TargetSet } from "./targets.js";
import type { Vault } from "../secrets/index.js";
import { type AttemptOutcome, runAttempt } from "./attempt.js";
import type { EventBus } from "./bus.js";
import type { OutputFiles } from "./output-files.js";
import { outputPolicy, StepOutput } from "./output-sink.js";
import { UnknownValues } from "./prediction.js";
import { registeredValue } from "./registered.js";
import { ownedBy } from "../transports/transport.js";
import { monotonicMs } from "./monotonic.js";
import { RuntimeScopes } from "./runtime-scope.js";

export interface RunLoopConfig {
  plan: Plan;
  runId: string;
  bus: EventBus;
  engineOptions: EngineOptions;
  rootDir: string;
  dryRun: boolean;
  targets: TargetSet;
  env: Record<string, string | undefined>;
  journal: JournalSink | null;
  /** Sync the journal before every step starts (`--durability strict`). */
  strict: boolean;
  history: RunHistory | null;
  outputFiles: OutputFiles;
  /** `--output-limit`, for steps without `output_limit`. */
  outputLimit: number | undefined;
  /** The run's secrets (null when the plan has none). */
  vault: Vault | null;
}

export interface RunEnd {
  outcome: Extract<Command, { type: "Finish" }>["outcome"];
  stats: RunStats;
  durationMs: number;
  /** Steps started again because an earlier segment was interrupted while they ran. */
  reran: string[];
}

interface Running {
  controller: AbortController;
  started: number;
  attempt: number;
}

export class RunLoop {
  private readonly steps = new Map<string, PlanStep>();
  private readonly compensators: Set<string>;
  /** Steps with a compensation that completed, in completion order. */
  private readonly undoable: string[] = [];
  private compensating = false;
  private readonly scopes: RuntimeScopes;
  private readonly t0 = monotonicMs();
  private readonly running = new Map<string, Running>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly outcomes = new Map<string, AttemptOutcome>();
  private readonly attempts = new Map<string, number>();
  private readonly durations = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private readonly restored = new Set<string>();
  private readonly reran: string[] = [];
  /** Dry run: registered values known only after a real run, and the steps predicted unknown. */
  private readonly unknowns = new UnknownValues();
  private readonly tally: DryRunTally;
  private state!: EngineState;
  private readonly queue: Command[] = [];
  private draining = false;
  private onFinish: ((end: RunEnd) => void) | null = null;
  /** Fleet runs: counts per host. */
  private readonly hosts: HostStats | null;

  constructor(private readonly c: RunLoopConfig) {
    for (const s of c.plan.steps) this.steps.set(s.id, s);
    for (const s of c.plan.handlers) this.steps.set(s.id, s);
    this.compensators = new Set(c.plan.steps.flatMap((s) => s.compensate));
    this.scopes = new RuntimeScopes(c.plan);
    this.tally = new DryRunTally(c.dryRun, c.plan.handlers);
    this.hosts = c.plan.fleet === undefined ? null : new HostStats(c.plan.fleet.targets);
  }

  /** Runs the plan to its end. */
  start(): Promise<RunEnd> {
    return new Promise((resolve) => {
      this.onFinish = resolve;
      const first = init(this.c.plan, this.c.engineOptions);
      this.state = first.state;
      this.c.journal?.append({ rec: "init", commands: first.commands });
      this.queue.push(...first.commands);
      this.drain();
    });
  }

  /** SIGINT once: start nothing new; again (or SIGTERM/SIGHUP): kill what runs. */
  cancel(force: boolean): void {
    this.feed({ type: "CancelRequested", at: this.now(), force });
  }

  private now(): number {
    return Math.round(monotonicMs() - this.t0);
  }

  private feed(event: EngineEvent): void {
    const r = engineStep(this.state, event);
    this.state = r.state;
    this.c.journal?.append({ rec: "input", input: event, commands: r.commands });
    this.queue.push(...r.commands);
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      // An index instead of shift(): a plan of 100,000 skipped steps settles in one batch.
      for (let i = 0; i < this.queue.length; i++) this.carryOut(this.queue[i]!);
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  private ref(id: string) {
    const s = this.steps.get(id)!;
    // A name that reads a registered value is rendered when the step runs.
    return {
      step_id: id,
      name: this.names.get(id) ?? s.name,
      attempt: this.attempts.get(id) ?? 0,
      ...(this.hosts === null ? {} : { target: s.target }),
    };
  }

  private carryOut(c: Command): void {
    switch (c.type) {
      case "Start":
        if (!this.compensating && this.compensators.has(c.stepId)) {
          this.compensating = true;
          this.c.bus.emit({ type: "compensation.started", steps: [...this.undoable].reverse() });
        }
        this.startStep(c.stepId, c.attempt);
        return;
      case "Kill":
        this.running.get(c.stepId)?.controller.abort(c.reason);
        return;
      case "SetTimer": {
        this.timers.get(c.timerId)?.close();
        const t = setTimeout(() => {
          this.timers.delete(c.timerId);
          this.feed({ type: "TimerFired", at: this.now(), timerId: c.timerId });
        }, c.ms);
        this.timers.set(c.timerId, t);
        return;
      }
      case "ClearTimer":
        this.timers.get(c.timerId)?.close();
        this.timers.delete(c.timerId);
        return;
      case "Retrying":
        this.c.bus.emit({
          type: "step.retrying",
          delay_ms: c.delayMs,
          reason: c.reason,
          ...this.ref(c.stepId),
          attempt: c.attempt,
        });
        return;
      case "Settled":
        this.settle(c);
        return;
      case "Notified":
        this.tally.notified(c.stepId, c.handlerId);
        this.c.bus.emit({
          type: "handler.notified",
          handler_id: c.handlerId,
          handler: this.steps.get(c.handlerId)?.name ?? c.handlerId,
          ...this.ref(c.stepId),
        });
        return;
      case "Finish":
        this.finish(c);
        return;
    }
  }

  private startStep(stepId: string, attempt: number): void {
    const step = this.steps.get(stepId)!;
    this.attempts.set(stepId, attempt);
    const earlier = attempt === 1 ? this.c.history?.done.get(stepId) : undefined;
    if (earlier !== undefined && !this.restored.has(stepId)) {
      this.restore(step, earlier);
      return;
    }
    if (step.same_as !== undefined) {
      this.copyOutcome(step, step.same_as, attempt);
      return;
    }
    const interrupted = attempt === 1 && this.c.history?.inFlight.includes(stepId) === true;
    if (interrupted && step.policy.on_interrupt === "fail") {
      this.feed({ type: "StepStarted", at: this.now(), stepId, attempt });
      this.report(stepId, attempt, {
        kind: "failed",
        reason: "error",
        message: "interrupted: the run stopped while this step ran, and it says on_interrupt: fail",
        result: null,
      });
      return;
    }
    if (interrupted) this.reran.push(stepId);
    const controller = new AbortController();
    const entry: Running = { controller, started: monotonicMs(), attempt };
    this.running.set(stepId, entry);
    this.feed({ type: "StepStarted", at: this.now(), stepId, attempt });
    const go = () => this.attempt(step, attempt, entry);
    // Durable steps wait until everything journaled so far is on disk.
    if ((this.c.strict || step.policy.durable === true) && this.c.journal !== null)
      void this.c.journal.sync().then(go);
    else go();
  }

  private attempt(step: PlanStep, attempt: number, entry: Running): void {
    const stepId = step.id;
    // Never rejects: the catch below turns an internal error into a failed attempt.
    void runAttempt(
      step,
      attempt,
      {
        scopes: this.scopes,
        rootDir: this.c.rootDir,
        dryRun: this.c.dryRun,
        transport: ownedBy(stepId, this.c.targets.transport(step.delegate_to ?? step.target)),
        remote: this.c.targets.isRemote(step.delegate_to ?? step.target),
        env: this.c.env,
        runId: this.c.runId,
        unknowns: this.unknowns,
        vault: this.c.vault,
      },
      {
        signal: entry.controller.signal,
        output: new StepOutput({
          ...outputPolicy(step, this.c.outputLimit),
          files: this.c.outputFiles,
          stepId,
          attempt,
          emit: (stream, line, lines) =>
            this.c.bus.emit({ type: "step.output", stream, line, lines, ...this.ref(stepId) }),
          warn: (message) => this.warn(stepId, message),
        }),
        warn: (message) => this.warn(stepId, message),
        onRun: (ready) => {
          if (ready.name !== step.name) this.names.set(stepId, ready.name);
          this.c.bus.emit({
            type: "step.started",
            seq_no: step.seq,
            action: step.action,
            origin: step.origin,
            ...this.ref(stepId),
          });
        },
      },
    )
      .catch(
        (e: unknown): AttemptOutcome => ({
          kind: "failed",
          reason: "error",
          message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
          result: null,
        }),
      )
      .then((outcome) => {
        this.running.delete(stepId);
        this.durations.set(stepId, Math.round(monotonicMs() - entry.started));
        this.report(stepId, attempt, outcome);
      });
  }

  private warn(stepId: string, message: string): void {
    this.c.bus.emit({ type: "step.message", level: "warning", message, ...this.ref(stepId) });
  }

  /** Feeds an attempt's outcome to the engine. */
  private report(stepId: string, attempt: number, outcome: AttemptOutcome): void {
    this.outcomes.set(stepId, outcome);
    const at = this.now();
    if (outcome.kind === "skipped")
      this.feed({ type: "StepSkipped", at, stepId, reason: outcome.reason });
    else if (outcome.kind === "succeeded")
      this.feed({ type: "StepSucceeded", at, stepId, attempt, changed: outcome.changed });
    else if (outcome.kind === "unknown") {
      // It may change: its handlers are notified (and predicted unknown in turn).
      this.tally.markUnknown(stepId);
      this.feed({ type: "StepSucceeded", at, stepId, attempt, changed: true });
    } else
      this.feed({
        type: "StepFailed",
        at,
        stepId,
        attempt,
        reason: outcome.reason,
        message: outcome.message,
      });
  }

  /**
   * A `run_once` copy (SPEC §1.6): it does not run; it ends as the instance that ran
   * did, and registers that instance's result on its own host.
   */
  private copyOutcome(step: PlanStep, leaderId: string, attempt: number): void {
    const leader = this.outcomes.get(leaderId);
    this.feed({ type: "StepStarted", at: this.now(), stepId: step.id, attempt });
    this.durations.set(step.id, 0);
    this.report(
      step.id,
      attempt,
      leader ?? { kind: "skipped", reason: `run_once: ran on ${leaderId}` },
    );
  }

  /** Answers a Start from the journal of an earlier segment: the step does not run again. */
  private restore(step: PlanStep, earlier: RestoredOutcome): void {
    this.restored.add(step.id);
    this.durations.set(step.id, 0);
    this.feed({ type: "StepStarted", at: this.now(), stepId: step.id, attempt: 1 });
    this.report(
      step.id,
      1,
      earlier.kind === "skipped"
        ? earlier
        : {
            kind: "succeeded",
            changed: earlier.changed,
            result: earlier.result,
            registered: registeredValue(earlier.result),
          },
    );
  }

  private settle(c: Extract<Command, { type: "Settled" }>): void {
    const step = this.steps.get(c.stepId)!;
    const outcome = this.outcomes.get(c.stepId);
    const r = this.ref(c.stepId);
    registerSettled(this.scopes, this.unknowns, step, c, outcome);
    if ((c.status === "ok" || c.status === "changed") && step.compensate.length > 0)
      this.undoable.push(step.id);
    this.hosts?.note(
      step.target,
      c.status,
      outcome?.kind === "failed" && outcome.reason === "unreachable",
    );
    const unknown = this.tally.settled(step, c.status, outcome);
    this.c.bus.emit(
      settledEvent(c, step, outcome, {
        ref: r,
        restored: this.restored.has(c.stepId),
        durationMs: this.durations.get(c.stepId) ?? 0,
        dryRun: this.c.dryRun,
        unknown,
      }),
    );
  }

  private finish(c: Extract<Command, { type: "Finish" }>): void {
    for (const t of this.timers.values()) t.close();
    this.timers.clear();
    this.c.targets.dispose();
    const durationMs = this.now();
    const stats = this.tally.stats(c.stats);
    this.c.bus.emit({
      type: "run.completed",
      outcome: c.outcome,
      stats,
      duration_ms: durationMs,
      ...(this.reran.length > 0 ? { reran: [...this.reran] } : {}),
      ...(this.hosts === null
        ? {}
        : { hosts: this.hosts.table(), failed_hosts: this.hosts.failedHosts() }),
    });
    this.onFinish?.({ outcome: c.outcome, stats: c.stats, durationMs, reran: [...this.reran] });
  }
}
