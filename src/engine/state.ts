/**
 * The engine's state and its vocabulary of small codes. One `EngineState` is owned
 * by one run and updated in place by `step` (copying 100,000-step arrays per event
 * would make a run quadratic); everything in it is derived from the plan, the
 * options and the events so far, so re-running the same events from `init` rebuilds
 * it exactly.
 */
import type { Command, EngineOptions, RunStats, StepStatus } from "../model/engine.js";
import type { Plan, PlanStep } from "../model/plan.js";
import type { Breakers } from "./breaker.js";
import type { FleetState } from "./fleet.js";
import type { ReadyQueue } from "./ready-queue.js";

/** What a step is for: the main flow, a handler, or a compensation step. */
export const Role = { Main: 0, Handler: 1, Compensation: 2 } as const;

/** Where a step is in its life; `Done` once it has settled. */
export const Phase = { Waiting: 0, Ready: 1, Running: 2, RetryWait: 3, Done: 4 } as const;

/** A block's sections. */
export const Section = { Main: 0, Rescue: 1, Always: 2 } as const;
export type SectionCode = (typeof Section)[keyof typeof Section];

/** Why the engine killed the running attempt, if it did. */
export const KillCode = { None: 0, Timeout: 1, Deadline: 2, Cancel: 3 } as const;

export type RunPhase = "main" | "handlers" | "compensation" | "finished";

/** A step's membership of one block section. */
export interface Membership {
  readonly block: number;
  readonly section: SectionCode;
}

/** The routing state of one `PlanBlock` (see blocks.ts). */
export interface BlockState {
  readonly id: string;
  readonly hasRescue: boolean;
  /** Rescue-section steps not yet settled. */
  rescuePending: number;
  /** An unrescued failure happened in the main section (own or from a nested block). */
  mainFailed: boolean;
  /** The failures of the main section waiting for the rescue section's verdict. */
  mainFailures: number;
  mainFailCause: number;
  /** The rescue section was skipped or broken: later main failures are not rescued. */
  rescueClosed: boolean;
  /** A failure left this block unrescued. */
  failed: boolean;
  failCause: number;
  /** Some step of the block started: its `always` section runs even if the rest is cancelled. */
  entered: boolean;
}

export interface TimerRef {
  readonly kind: "timeout" | "deadline" | "retry";
  readonly step: number;
  readonly attempt: number;
}

export interface EngineState {
  readonly plan: Plan;
  readonly options: EngineOptions;
  /** Index → step: `plan.steps` then `plan.handlers`. */
  readonly steps: readonly PlanStep[];
  readonly index: ReadonlyMap<string, number>;
  readonly role: Uint8Array;
  /** Main-flow needs as indices (edges to compensation steps dropped). */
  readonly needs: readonly (readonly number[])[];
  readonly dependants: readonly (readonly number[])[];
  /** Handler indices each step notifies. */
  readonly notifies: readonly (readonly number[])[];
  /** Compensation-step indices of each step. */
  readonly compensations: readonly (readonly number[])[];
  /** Block memberships, innermost first; null outside every block. */
  readonly chains: readonly (readonly Membership[] | null)[];
  readonly blocks: readonly BlockState[];

  /** Needs not yet settled. */
  readonly remaining: Int32Array;
  readonly phase: Uint8Array;
  readonly status: (StepStatus | null)[];
  readonly reasons: (string | null)[];
  /** The step whose failure (or cancellation) caused this one's blocked/cancelled/failed status. */
  readonly cause: Int32Array;
  /** The last attempt started (0 before the first). */
  readonly attempt: Int32Array;
  readonly killed: Uint8Array;
  readonly deadlineFired: Uint8Array;
  readonly notified: Uint8Array;
  /** Ready-queue order of each queued step. */
  readonly keys: Float64Array;

  readonly ready: ReadyQueue;
  /** Queues of steps held back by their group's `max`, by group id. */
  readonly parked: Map<string, ReadyQueue>;
  readonly running: Set<number>;
  readonly groupRunning: Map<string, number>;
  readonly waitingRetry: Set<number>;
  readonly timers: Map<string, TimerRef>;
  readonly breakers: Breakers;
  /** Steps whose needs all settled, waiting for their verdict (a worklist: no recursion). */
  readonly resolveQueue: number[];
  /** Steps with `compensate` that ended ok/changed, in completion order. */
  readonly completions: number[];
  readonly stats: Required<RunStats>;
  /** Fleet bookkeeping (fleet.ts); null for a plan without `fleet`. */
  readonly fleet: FleetState | null;

  rng: number;
  mainUnsettled: number;
  runPhase: RunPhase;
  /** A failure reached the top of the run unrescued. */
  runFailed: boolean;
  /** Start no new main steps (a failure without keepGoing). */
  stopping: boolean;
  /** Queued steps must be re-examined because `stopping` or a cancel just began. */
  sweepPending: boolean;
  cancelRequested: boolean;
  handlerCursor: number;
  /** Compensation: originals to undo (reverse completion order) and the position in them. */
  compOrder: number[];
  compCursor: number;
  compInner: number;
  compBroken: boolean;
}

/** What one `step` call works with: the state, the commands it emits, the event time. */
export interface Ctx {
  readonly s: EngineState;
  readonly out: Command[];
  readonly at: number;
}

export function isSuccessLike(status: StepStatus | null): boolean {
  return status === "ok" || status === "changed" || status === "skipped" || status === "ignored";
}

export function stepAt(s: EngineState, i: number): PlanStep {
  const step = s.steps[i];
  if (step === undefined) throw new RangeError(`no step at index ${i}`);
  return step;
}

export function idOf(s: EngineState, i: number): string {
  return stepAt(s, i).id;
}
