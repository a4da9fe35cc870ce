/**
 * Test support for the reporters: builders of event payloads, a script that stamps them
 * with the envelope (seq, run_id, ts 100 ms apart), and a fake Output that keeps the text.
 */
import { emptyStats, type RunStats, type StepStatus } from "../model/engine.js";
import type { RunEvent, RunEventPayload } from "../model/events.js";
import type { Origin } from "../model/plan.js";
import type { Output } from "./reporter.js";

export const T0 = Date.parse("2026-01-01T00:00:00.000Z");
export const RUN_ID = "run-1";

/** Stamps payloads as consecutive events `stepMs` apart, starting at T0. */
export function script(payloads: RunEventPayload[], stepMs = 100): RunEvent[] {
  return payloads.map((p, i) => ({
    v: 1,
    seq: i + 1,
    run_id: RUN_ID,
    ts: new Date(T0 + i * stepMs).toISOString(),
    ...p,
  }));
}

export function origin(file: string, line: number, chain: Origin["chain"] = []): Origin {
  return { file, line, column: 3, chain };
}

export const ev = {
  runStarted: (total: number, dryRun = false): RunEventPayload => ({
    type: "run.started",
    playbook: "site.yml",
    dry_run: dryRun,
    total_steps: total,
    seed: 1,
  }),
  started: (id: string, name: string, seqNo: number, action = "shell", attempt = 1) =>
    ({
      type: "step.started",
      step_id: id,
      name,
      attempt,
      seq_no: seqNo,
      action,
      origin: origin("site.yml", seqNo),
    }) satisfies RunEventPayload,
  output: (id: string, name: string, line: string, stream: "stdout" | "stderr" = "stdout") =>
    ({
      type: "step.output",
      step_id: id,
      name,
      attempt: 1,
      stream,
      line,
      lines: line.split("\n").length,
    }) satisfies RunEventPayload,
  completed: (
    id: string,
    name: string,
    status: StepStatus,
    ms: number,
    extra: { result?: Record<string, unknown>; diff?: string } = {},
  ): RunEventPayload => ({
    type: "step.completed",
    step_id: id,
    name,
    attempt: 1,
    status,
    changed: status === "changed",
    duration_ms: ms,
    result: extra.result ?? {},
    ...(extra.diff === undefined ? {} : { diff: extra.diff }),
  }),
  skipped: (
    id: string,
    name: string,
    reason: string,
    status: StepStatus = "skipped",
  ): RunEventPayload => ({ type: "step.skipped", step_id: id, name, attempt: 1, status, reason }),
  failed: (id: string, name: string, error: string, at: Origin, ms: number): RunEventPayload => ({
    type: "step.failed",
    step_id: id,
    name,
    attempt: 1,
    status: "failed",
    error,
    origin: at,
    duration_ms: ms,
    result: null,
  }),
  retrying: (id: string, name: string, attempt: number, delayMs: number, reason: string) =>
    ({
      type: "step.retrying",
      step_id: id,
      name,
      attempt,
      delay_ms: delayMs,
      reason,
    }) satisfies RunEventPayload,
  runCompleted: (
    outcome: "success" | "failed" | "cancelled",
    stats: Partial<RunStats>,
    ms: number,
  ): RunEventPayload => ({
    type: "run.completed",
    outcome,
    stats: { ...emptyStats(), ...stats },
    duration_ms: ms,
  }),
};

export class FakeOutput implements Output {
  text = "";
  writes = 0;
  constructor(
    public isTTY = false,
    public columns = 80,
  ) {}
  write(s: string): void {
    this.text += s;
    this.writes++;
  }
}

const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07)/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}
