/**
 * What a resume learns from a run's journal (SPEC §3.3), as a pure reading of its
 * records. A resumed segment starts the engine afresh; when it asks to start a step
 * that already *finished well* in an earlier segment, the driver answers with the
 * recorded outcome instead of running it (the way a workflow engine replays
 * activity results from history), so that the engine's state is again the fold of
 * its inputs. Decisions:
 * - Restored: steps that succeeded (`ok`/`changed`) or were skipped at run time
 *   (`when`, `creates`, `unless`), with their registered result; handler
 *   notifications follow, because a restored `changed` notifies again.
 * - Run again: failed, ignored, cancelled, blocked and never-started steps; steps
 *   started without a terminal record (in flight at the crash: at-least-once);
 *   steps undone by compensation; a step whose registered result was truncated
 *   (a later step must not read a cut value).
 */
import type { EngineEvent } from "../model/engine.js";
import type { JournalRecord } from "./records.js";

export type RestoredOutcome =
  | { kind: "succeeded"; changed: boolean; result: Record<string, unknown> }
  | { kind: "skipped"; reason: string };

export interface LeftoverProcess {
  step_id: string;
  pid: number;
  start: number | null;
  boot_id: string | null;
}

export interface RunHistory {
  /** Steps finished well, by id. */
  done: Map<string, RestoredOutcome>;
  /** Steps started whose attempt has no end in the journal (in flight at the crash). */
  inFlight: string[];
  /** Process groups the journal saw start and never saw end. */
  leftovers: LeftoverProcess[];
  /** The number of the last segment (1 for a run never resumed). */
  segments: number;
}

/** Reads `records`; `registers` says which step ids register their result. */
export function readHistory(
  records: readonly JournalRecord[],
  registers: (stepId: string) => boolean,
): RunHistory {
  const done = new Map<string, RestoredOutcome>();
  const started = new Map<string, number>();
  const results = new Map<string, Record<string, unknown>>();
  const procs = new Map<number, LeftoverProcess>();
  let segments = 0;
  for (const r of records) {
    switch (r.rec) {
      case "open":
        segments = r.segment;
        // Whatever was in flight when the previous segment ended runs again in this one.
        started.clear();
        break;
      case "input":
        onInput(r.input, started, done);
        break;
      case "event":
        if (r.event.type === "step.completed") results.set(r.event.step_id, r.event.result);
        if (r.event.type === "step.compensated") done.delete(r.event.step_id);
        break;
      case "proc":
        procs.set(r.pid, { step_id: r.step_id, pid: r.pid, start: r.start, boot_id: r.boot_id });
        break;
      case "proc_exit":
        procs.delete(r.pid);
        break;
      case "init":
        break;
    }
  }
  for (const [id, outcome] of done) {
    if (outcome.kind !== "succeeded") continue;
    const result = results.get(id) ?? {};
    // A registered result that was cut, or that held a secret (journaled redacted), is
    // produced again rather than restored: later steps must see the real value.
    if (registers(id) && (result.truncated === true || heldSecret(result))) done.delete(id);
    else outcome.result = result;
  }
  return {
    done,
    inFlight: [...started.keys()],
    leftovers: [...procs.values()],
    segments,
  };
}

function onInput(
  input: EngineEvent,
  started: Map<string, number>,
  done: Map<string, RestoredOutcome>,
): void {
  switch (input.type) {
    case "StepStarted":
      started.set(input.stepId, input.attempt);
      return;
    case "StepSkipped":
      started.delete(input.stepId);
      done.set(input.stepId, { kind: "skipped", reason: input.reason });
      return;
    case "StepFailed":
      started.delete(input.stepId);
      done.delete(input.stepId);
      return;
    case "StepSucceeded": {
      started.delete(input.stepId);
      // The result comes from the step.completed event that follows this record.
      done.set(input.stepId, { kind: "succeeded", changed: input.changed, result: {} });
      return;
    }
    case "TimerFired":
    case "CancelRequested":
      return;
  }
}

/** The redaction placeholder (`«secret:name»`) inside a journaled result. */
function heldSecret(result: Record<string, unknown>): boolean {
  return JSON.stringify(result).includes("«secret:");
}
