/**
 * The driver loop (SPEC §3.1): the only place where the engine meets the world. It
 * feeds events to the pure engine and carries out its commands: starts attempts
 * through the actions, owns the real timers and abort controllers, turns SIGINT into
 * CancelRequested, and publishes every run event on the bus.
 */
import { performance } from "node:perf_hooks";
import { init, step as engineStep, type EngineState } from "../engine/index.js";
import type { Command, EngineEvent, EngineOptions, RunOutcome, RunStats } from "../model/engine.js";
import type { Plan, PlanStep } from "../model/plan.js";
import { localTransport } from "../transports/local.js";
import type { Transport } from "../transports/transport.js";
import { type AttemptOutcome, runAttempt } from "./attempt.js";
import { EventBus, newRunId, type Subscriber } from "./bus.js";
import { OutputFiles } from "./output-files.js";
import { outputPolicy, StepOutput } from "./output-sink.js";
import { RuntimeScopes } from "./runtime-scope.js";

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
  /** Environment for env()/has_env() in runtime expressions. @default process.env */
  env?: Record<string, string | undefined>;
  /** Install SIGINT handling (first: stop starting steps; second: kill running ones). */
  handleSignals?: boolean;
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
  /** The directory of the output files, when any was written (or `outputDir` was given). */
  outputDir: string | null;
}

interface Running {
  controller: AbortController;
  started: number;
  attempt: number;
  step: PlanStep;
}

export function execute(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  const runId = options.runId ?? newRunId();
  const bus = new EventBus(runId);
  for (const s of options.subscribers ?? []) bus.subscribe(s);
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const engineOptions: EngineOptions = {
    jobs: options.jobs ?? 10,
    keepGoing: options.keepGoing ?? false,
    compensate: options.compensate ?? plan.on_failure === "compensate",
    seed,
  };
  const steps = new Map<string, PlanStep>();
  // Compensation steps, and the steps with a compensation in completion order, for
  // the compensation.started event.
  const compensators = new Set(plan.steps.flatMap((s) => s.compensate));
  const undoable: string[] = [];
  let compensating = false;
  for (const s of plan.steps) steps.set(s.id, s);
  for (const s of plan.handlers) steps.set(s.id, s);
  const scopes = new RuntimeScopes(plan);
  const transport = options.transport ?? localTransport();
  const outputFiles = new OutputFiles(options.outputDir, runId);
  const env = options.env ?? process.env;
  const dryRun = options.dryRun ?? false;
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);

  const running = new Map<string, Running>();
  const timers = new Map<string, NodeJS.Timeout>();
  const outcomes = new Map<string, AttemptOutcome>();
  const attempts = new Map<string, number>();
  const durations = new Map<string, number>();
  const names = new Map<string, string>();
  let state: EngineState;
  const queue: Command[] = [];
  let draining = false;

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

  return new Promise<ExecuteResult>((resolvePromise) => {
    let interrupts = 0;
    const onSigint = () => {
      interrupts += 1;
      feed({ type: "CancelRequested", at: now(), force: interrupts > 1 });
    };
    if (options.handleSignals === true) process.on("SIGINT", onSigint);

    const feed = (event: EngineEvent) => {
      const r = engineStep(state, event);
      state = r.state;
      queue.push(...r.commands);
      drain();
    };

    const ref = (id: string) => {
      const s = steps.get(id)!;
      // A name that reads a registered value is rendered when the step runs.
      return { step_id: id, name: names.get(id) ?? s.name, attempt: attempts.get(id) ?? 0 };
    };

    const warn = (stepId: string, message: string) =>
      bus.emit({ type: "step.message", level: "warning", message, ...ref(stepId) });

    const start = (stepId: string, attempt: number) => {
      const step = steps.get(stepId)!;
      const controller = new AbortController();
      const entry: Running = { controller, started: performance.now(), attempt, step };
      running.set(stepId, entry);
      attempts.set(stepId, attempt);
      feed({ type: "StepStarted", at: now(), stepId, attempt });
      // Never rejects: the catch below turns an internal error into a failed attempt.
      void runAttempt(
        step,
        attempt,
        { scopes, rootDir: options.rootDir, dryRun, transport, env },
        {
          signal: controller.signal,
          output: new StepOutput({
            ...outputPolicy(step, options.outputLimit),
            files: outputFiles,
            stepId,
            attempt,
            emit: (stream, line, lines) =>
              bus.emit({ type: "step.output", stream, line, lines, ...ref(stepId) }),
            warn: (message) => warn(stepId, message),
          }),
          warn: (message) => warn(stepId, message),
          onRun: (ready) => {
            if (ready.name !== step.name) names.set(stepId, ready.name);
            bus.emit({
              type: "step.started",
              seq_no: step.seq,
              action: step.action,
              origin: step.origin,
              ...ref(stepId),
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
          running.delete(stepId);
          durations.set(stepId, Math.round(performance.now() - entry.started));
          outcomes.set(stepId, outcome);
          const at = now();
          if (outcome.kind === "skipped")
            feed({ type: "StepSkipped", at, stepId, reason: outcome.reason });
          else if (outcome.kind === "succeeded")
            feed({ type: "StepSucceeded", at, stepId, attempt, changed: outcome.changed });
          else
            feed({
              type: "StepFailed",
              at,
              stepId,
              attempt,
              reason: outcome.reason,
              message: outcome.message,
            });
        });
    };

    const settle = (c: Extract<Command, { type: "Settled" }>) => {
      const step = steps.get(c.stepId)!;
      const outcome = outcomes.get(c.stepId);
      const r = ref(c.stepId);
      const duration = durations.get(c.stepId) ?? 0;
      if (outcome !== undefined && outcome.kind !== "skipped") {
        scopes.register(
          step,
          outcome.registered ??
            outcome.result ?? {
              failed: true,
              msg: outcome.kind === "failed" ? outcome.message : "",
            },
        );
      } else if (c.status === "skipped") {
        // As Ansible: a skipped step still registers, so `r is skipped` and `r.changed` work.
        scopes.register(step, {
          changed: false,
          skipped: true,
          skip_reason: c.reason ?? "skipped",
        });
      }
      if ((c.status === "ok" || c.status === "changed") && step.compensate.length > 0)
        undoable.push(step.id);
      switch (c.status) {
        case "compensated":
          bus.emit({ type: "step.compensated", by: step.compensate, ...r });
          return;
        case "ok":
        case "changed":
        case "ignored": {
          const result =
            outcome !== undefined && outcome.kind !== "skipped" ? (outcome.result ?? {}) : {};
          const payload = {
            type: "step.completed" as const,
            status: c.status,
            changed: c.status === "changed",
            duration_ms: duration,
            result,
            ...r,
          };
          if (outcome?.kind === "succeeded" && outcome.diff !== undefined)
            bus.emit({ ...payload, diff: outcome.diff });
          else if (outcome?.kind === "failed") bus.emit({ ...payload, error: outcome.message });
          else bus.emit(payload);
          return;
        }
        case "failed":
          bus.emit({
            type: "step.failed",
            status: "failed",
            error: outcome?.kind === "failed" ? outcome.message : (c.reason ?? "failed"),
            origin: step.origin,
            duration_ms: duration,
            result: outcome?.kind === "failed" ? outcome.result : null,
            ...r,
          });
          return;
        case "skipped":
        case "blocked":
        case "cancelled":
          bus.emit({ type: "step.skipped", status: c.status, reason: c.reason ?? c.status, ...r });
          return;
      }
    };

    const carryOut = (c: Command) => {
      switch (c.type) {
        case "Start":
          if (!compensating && compensators.has(c.stepId)) {
            compensating = true;
            bus.emit({ type: "compensation.started", steps: [...undoable].reverse() });
          }
          start(c.stepId, c.attempt);
          return;
        case "Kill":
          running.get(c.stepId)?.controller.abort(c.reason);
          return;
        case "SetTimer": {
          timers.get(c.timerId)?.close();
          const t = setTimeout(() => {
            timers.delete(c.timerId);
            feed({ type: "TimerFired", at: now(), timerId: c.timerId });
          }, c.ms);
          timers.set(c.timerId, t);
          return;
        }
        case "ClearTimer":
          timers.get(c.timerId)?.close();
          timers.delete(c.timerId);
          return;
        case "Retrying":
          bus.emit({
            type: "step.retrying",
            delay_ms: c.delayMs,
            reason: c.reason,
            ...ref(c.stepId),
            attempt: c.attempt,
          });
          return;
        case "Settled":
          settle(c);
          return;
        case "Notified":
          bus.emit({
            type: "handler.notified",
            handler_id: c.handlerId,
            handler: steps.get(c.handlerId)?.name ?? c.handlerId,
            ...ref(c.stepId),
          });
          return;
        case "Finish": {
          for (const t of timers.values()) t.close();
          timers.clear();
          transport.dispose?.();
          if (options.handleSignals === true) process.off("SIGINT", onSigint);
          const durationMs = now();
          bus.emit({
            type: "run.completed",
            outcome: c.outcome,
            stats: c.stats,
            duration_ms: durationMs,
          });
          const outputDir = outputFiles.everyStream || outputFiles.used ? outputFiles.dir : null;
          resolvePromise({ runId, outcome: c.outcome, stats: c.stats, durationMs, outputDir });
          return;
        }
      }
    };

    const drain = () => {
      if (draining) return;
      draining = true;
      try {
        // An index instead of shift(): a plan of 100,000 skipped steps settles in one batch.
        for (let i = 0; i < queue.length; i++) carryOut(queue[i]!);
      } finally {
        queue.length = 0;
        draining = false;
      }
    };

    const first = init(plan, engineOptions);
    state = first.state;
    queue.push(...first.commands);
    drain();
  });
}
