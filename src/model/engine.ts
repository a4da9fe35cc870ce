/**
 * The vocabulary of the pure engine (SPEC §3.1): events go in, commands come out.
 * Time never comes from a clock inside the engine: every event carries `at`, the
 * driver's monotonic milliseconds since the run started.
 */

/** The terminal status of a step (SPEC §3.2). */
export type StepStatus =
  | "ok"
  | "changed"
  | "skipped"
  | "failed"
  | "ignored"
  | "blocked"
  | "cancelled"
  | "compensated";

/** Why an attempt failed; drives the retry policy's `on` list. */
export type FailureReason =
  | "rc"
  | "timeout"
  | "error"
  | "killed"
  | "breaker-open"
  | "deadline"
  /** The step's target could not be reached (fleet runs, SPEC §1.6); never retried. */
  | "unreachable";

export type EngineEvent =
  /** The driver began the attempt the engine asked for. */
  | { type: "StepStarted"; at: number; stepId: string; attempt: number }
  | { type: "StepSucceeded"; at: number; stepId: string; attempt: number; changed: boolean }
  /** A runtime decision (when/creates/unless) skipped the step before it ran. */
  | { type: "StepSkipped"; at: number; stepId: string; reason: string }
  | {
      type: "StepFailed";
      at: number;
      stepId: string;
      attempt: number;
      reason: FailureReason;
      message: string;
    }
  | { type: "TimerFired"; at: number; timerId: string }
  /** First SIGINT: `force: false` (start nothing new); second: `force: true` (kill running). */
  | { type: "CancelRequested"; at: number; force: boolean };

export type Command =
  | { type: "Start"; stepId: string; attempt: number }
  | { type: "Kill"; stepId: string; reason: "timeout" | "deadline" | "cancel" }
  | { type: "SetTimer"; timerId: string; ms: number }
  | { type: "ClearTimer"; timerId: string }
  /** A failed attempt will be retried after `delayMs`. */
  | { type: "Retrying"; stepId: string; attempt: number; delayMs: number; reason: FailureReason }
  /** A step reached its terminal status; `reason` explains skipped/blocked/cancelled. */
  | { type: "Settled"; stepId: string; status: StepStatus; reason: string | null }
  /** A step that changed notified a handler (journaled, so that resume keeps it). */
  | { type: "Notified"; stepId: string; handlerId: string }
  | { type: "Finish"; outcome: RunOutcome; stats: RunStats };

export type RunOutcome = "success" | "failed" | "cancelled";

export interface RunStats {
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  ignored: number;
  blocked: number;
  cancelled: number;
  compensated: number;
  /**
   * Failed steps whose failure a block's `rescue` section absorbed (they still count
   * under `failed`; the run does not fail because of them). Ansible's `rescued=N`.
   */
  rescued: number;
}

/** Stats of a run before any step settled. */
export function emptyStats(): RunStats {
  return {
    ok: 0,
    changed: 0,
    skipped: 0,
    failed: 0,
    ignored: 0,
    blocked: 0,
    cancelled: 0,
    compensated: 0,
    rescued: 0,
  };
}

export interface EngineOptions {
  /** Global bound on running steps (`--jobs`). @default 10 */
  jobs: number;
  /** Run everything not blocked by a failure. @default false */
  keepGoing: boolean;
  /** Run compensation on failure. @default false */
  compensate: boolean;
  /** Seed of the jitter PRNG; recorded in the journal so that replay is exact. */
  seed: number;
  /** Fleet plans: at most this many targets with a step running (`--forks`). @default jobs */
  forks?: number;
}
