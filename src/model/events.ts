/**
 * The run event stream (SPEC §3.4): one versioned envelope, NDJSON with `--json`.
 * Reporters and the journal consume these; nothing else formats output.
 */
import type { RunStats, StepStatus } from "./engine.js";
import type { Origin } from "./plan.js";

export interface EventEnvelope {
  v: 1;
  seq: number;
  run_id: string;
  ts: string;
}

export interface StepRef {
  step_id: string;
  name: string;
  attempt: number;
  /** Fleet runs only: the host the step belongs to (SPEC §1.6). */
  target?: string;
}

/** A fleet run's counts for one host (the summary table). */
export interface HostSummary {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
  /** Blocked or cancelled steps. */
  not_run: number;
}

export type RunEventPayload =
  | {
      type: "run.started";
      playbook: string;
      dry_run: boolean;
      total_steps: number;
      seed: number;
    }
  | { type: "plan.loaded"; digest: string; steps: number; handlers: number }
  | ({ type: "step.started"; seq_no: number; action: string; origin: Origin } & StepRef)
  /**
   * A batch of output lines: `line` is whole lines joined with "\n" (no trailing newline),
   * `lines` how many. A line longer than 64 KiB comes in pieces, each counted as a line.
   */
  | ({ type: "step.output"; stream: "stdout" | "stderr"; line: string; lines: number } & StepRef)
  | ({ type: "step.retrying"; delay_ms: number; reason: string } & StepRef)
  | ({
      type: "step.completed";
      /** `unknown` only in a dry run: the outcome is known after a real run (see `reason`). */
      status: StepStatus | "unknown";
      changed: boolean;
      /** Dry run only: what a real run would do. */
      predicted?: "changed" | "unchanged" | "unknown";
      /** For `unknown`: what it waits for, in the user's words. */
      reason?: string;
      duration_ms: number;
      result: Record<string, unknown>;
      diff?: string;
      /** For `ignored`: why the step failed. */
      error?: string;
      /** A resumed run took this outcome from the journal of an earlier segment. */
      restored?: boolean;
    } & StepRef)
  /** A step that did not run: skipped (when/tags/creates/unless), blocked or cancelled. */
  | ({ type: "step.skipped"; status: StepStatus; reason: string; restored?: boolean } & StepRef)
  | ({
      type: "step.failed";
      status: StepStatus;
      error: string;
      origin: Origin;
      duration_ms: number;
      result: Record<string, unknown> | null;
      /** Fleet runs: the step's host could not be reached. */
      unreachable?: true;
    } & StepRef)
  /** A message about a step; `level: "warning"` for a problem that does not fail it. */
  | ({ type: "step.message"; message: string; level?: "warning" } & StepRef)
  /**
   * A step that had completed was undone by its compensation. Its own event, not a
   * second step.completed, so that a consumer counting completions counts each step once.
   */
  | ({ type: "step.compensated"; by: string[] } & StepRef)
  | ({ type: "handler.notified"; handler_id: string; handler: string } & StepRef)
  /** The run failed and compensation begins: `steps` will be undone, in this order. */
  | { type: "compensation.started"; steps: string[] }
  | {
      type: "run.completed";
      outcome: "success" | "failed" | "cancelled";
      /** A dry run adds `unknown`: steps whose outcome is known only after a real run. */
      stats: RunStats & { unknown?: number };
      duration_ms: number;
      /** Steps started again because the run was interrupted while they ran (resume). */
      reran?: string[];
      /** Fleet runs: counts per host, in inventory order. */
      hosts?: Record<string, HostSummary>;
      /** Fleet runs: hosts with a failed or unreachable step (what `failed-hosts` lists). */
      failed_hosts?: string[];
    };

export type RunEvent = EventEnvelope & RunEventPayload;
export type RunEventType = RunEventPayload["type"];
