/**
 * Test-only drivers. `Run` is a hand-driven run for unit tests (send events, read
 * the commands back). `simulate` is a simulated driver for property tests: it
 * answers Start commands with scripted outcomes and fires timers, in an
 * interleaving picked by a list of choices, until Finish. Not exported from the
 * engine's index.
 */
import type {
  Command,
  EngineEvent,
  EngineOptions,
  FailureReason,
  StepStatus,
} from "../model/engine.js";
import type { Plan } from "../model/plan.js";
import { type EngineState, init, isFinished, statusOf, step } from "./engine.js";
import { options } from "./test-plan.js";

type WithoutAt<E> = E extends unknown ? Omit<E, "at"> : never;
export type EventInput = WithoutAt<EngineEvent>;

export class Run {
  readonly state: EngineState;
  readonly log: Command[] = [];
  at = 0;
  private readonly attempts = new Map<string, number>();

  constructor(p: Plan, opts: EngineOptions = options()) {
    const { state, commands } = init(p, opts);
    this.state = state;
    this.record(commands);
  }

  send(event: EventInput): Command[] {
    const { commands } = step(this.state, { ...event, at: this.at } as EngineEvent);
    this.record(commands);
    return commands;
  }

  /** The current attempt of `id` succeeds. */
  ok(id: string, changed = false): Command[] {
    return this.send({ type: "StepSucceeded", stepId: id, attempt: this.attempt(id), changed });
  }

  changed(id: string): Command[] {
    return this.ok(id, true);
  }

  fail(id: string, reason: FailureReason = "rc", message = "exit status 1"): Command[] {
    return this.send({
      type: "StepFailed",
      stepId: id,
      attempt: this.attempt(id),
      reason,
      message,
    });
  }

  skip(id: string, reason = "when was false"): Command[] {
    return this.send({ type: "StepSkipped", stepId: id, reason });
  }

  fire(timerId: string): Command[] {
    return this.send({ type: "TimerFired", timerId });
  }

  cancel(force = false): Command[] {
    return this.send({ type: "CancelRequested", force });
  }

  attempt(id: string): number {
    return this.attempts.get(id) ?? 0;
  }

  status(id: string): ReturnType<typeof statusOf> {
    return statusOf(this.state, id);
  }

  get finished(): boolean {
    return isFinished(this.state);
  }

  /** Ids of every Start command so far, in order (`id#attempt` for retries). */
  get starts(): string[] {
    return this.log.flatMap((c) =>
      c.type === "Start" ? [c.attempt === 1 ? c.stepId : `${c.stepId}#${c.attempt}`] : [],
    );
  }

  /** Steps currently running, in start order. */
  get running(): string[] {
    return [...this.attempts.keys()].filter((id) => this.status(id) === "running");
  }

  settled(id: string): { status: StepStatus; reason: string | null }[] {
    return this.log.flatMap((c) =>
      c.type === "Settled" && c.stepId === id ? [{ status: c.status, reason: c.reason }] : [],
    );
  }

  get finish(): Extract<Command, { type: "Finish" }> | undefined {
    return this.log.find((c): c is Extract<Command, { type: "Finish" }> => c.type === "Finish");
  }

  private record(commands: Command[]): void {
    for (const c of commands) {
      this.log.push(c);
      if (c.type === "Start") this.attempts.set(c.stepId, c.attempt);
    }
  }
}

/** What a simulated attempt does. */
export type Outcome = "ok" | "changed" | "skip" | "rc" | "error" | "timeout";

export interface Scenario {
  plan: Plan;
  options: EngineOptions;
  /** Per step id: the outcome of attempt 1, 2, …; the last one repeats; none means ok. */
  outcomes: Record<string, Outcome[]>;
  /** Picks the next event among those possible (running attempts, live timers). */
  choices: number[];
  /** Send CancelRequested before the n-th event. */
  cancel: { after: number; force: boolean } | null;
}

export interface Trace {
  /** Each event sent (null for init) and the commands it produced. */
  batches: { event: EngineEvent | null; commands: Command[] }[];
  commands: Command[];
  state: EngineState;
}

const KILL_REASON: Record<"timeout" | "deadline" | "cancel", FailureReason> = {
  timeout: "timeout",
  deadline: "deadline",
  cancel: "killed",
};

/** Drives a run to Finish; throws if the engine stalls or runs away. */
export function simulate(sc: Scenario): Trace {
  const first = init(sc.plan, sc.options);
  const state = first.state;
  const trace: Trace = {
    batches: [{ event: null, commands: first.commands }],
    commands: [],
    state,
  };
  const inflight = new Map<string, { attempt: number; kill: FailureReason | null }>();
  const timers = new Set<string>();
  const notices: EngineEvent[] = [];
  let at = 0;
  const apply = (commands: Command[]): void => {
    for (const c of commands) {
      trace.commands.push(c);
      switch (c.type) {
        case "Start":
          inflight.set(c.stepId, { attempt: c.attempt, kill: null });
          notices.push({ type: "StepStarted", at, stepId: c.stepId, attempt: c.attempt });
          break;
        case "Kill": {
          const attempt = inflight.get(c.stepId);
          if (attempt !== undefined) attempt.kill ??= KILL_REASON[c.reason];
          break;
        }
        case "SetTimer":
          timers.add(c.timerId);
          break;
        case "ClearTimer":
          timers.delete(c.timerId);
          break;
        case "Retrying":
        case "Settled":
        case "Notified":
        case "Finish":
          break;
      }
    }
  };
  apply(first.commands);
  let k = 0;
  for (let n = 0; !isFinished(state); n++) {
    if (n > 100_000) throw new Error("simulation ran away");
    const choice = sc.choices[k++ % Math.max(sc.choices.length, 1)] ?? 0;
    at += 1 + (choice % 5);
    let event: EngineEvent;
    const notice = notices.shift();
    if (notice !== undefined) event = { ...notice, at };
    else if (sc.cancel !== null && n === sc.cancel.after) {
      event = { type: "CancelRequested", at, force: sc.cancel.force };
    } else {
      const running = [...inflight.keys()];
      const live = [...timers];
      const options = running.length + live.length;
      if (options === 0) throw new Error("engine stalled: nothing running, no timer, no Finish");
      const pick = choice % options;
      if (pick < running.length) {
        const id = running[pick]!;
        const { attempt, kill } = inflight.get(id)!;
        inflight.delete(id);
        const script = sc.outcomes[id] ?? [];
        const outcome: Outcome | FailureReason =
          kill ?? script[Math.min(attempt, script.length) - 1] ?? "ok";
        event =
          outcome === "ok" || outcome === "changed"
            ? { type: "StepSucceeded", at, stepId: id, attempt, changed: outcome === "changed" }
            : outcome === "skip"
              ? { type: "StepSkipped", at, stepId: id, reason: "when was false" }
              : { type: "StepFailed", at, stepId: id, attempt, reason: outcome, message: outcome };
      } else {
        const timerId = live[pick - running.length]!;
        timers.delete(timerId);
        event = { type: "TimerFired", at, timerId };
      }
    }
    const { commands } = step(state, event);
    trace.batches.push({ event, commands });
    apply(commands);
  }
  return trace;
}
