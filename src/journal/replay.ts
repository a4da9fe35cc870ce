/**
 * Replay (SPEC §3.3): re-drive the pure engine from a journal, with no transport and
 * no side effect, and check that it issues the same commands in the same order as
 * recorded. Each segment starts from `init` with its recorded options; each `input`
 * record is fed to `step`. The first difference is the divergence.
 */
import { ENGINE_VERSION, type EngineState, init, step } from "../engine/index.js";
import type { Command } from "../model/engine.js";
import type { Plan } from "../model/plan.js";
import type { JournalRecord } from "./records.js";

export type ReplayResult =
  | { ok: true; segments: number; inputs: number }
  | {
      ok: false;
      seq: number;
      recorded: Command[] | string;
      replayed: Command[] | string;
      /** Set when the journal was written by another engine version. */
      engineVersions: { recorded: number; now: number } | null;
    };

export function replay(plan: Plan, records: readonly JournalRecord[]): ReplayResult {
  let state: EngineState | null = null;
  let segments = 0;
  let inputs = 0;
  let recordedVersion = ENGINE_VERSION;
  let options: Extract<JournalRecord, { rec: "open" }>["options"] | null = null;
  const diverged = (seq: number, recorded: Command[] | string, replayed: Command[] | string) =>
    ({
      ok: false,
      seq,
      recorded,
      replayed,
      engineVersions:
        recordedVersion === ENGINE_VERSION
          ? null
          : { recorded: recordedVersion, now: ENGINE_VERSION },
    }) as const;
  for (const r of records) {
    switch (r.rec) {
      case "open":
        segments += 1;
        options = r.options;
        recordedVersion = r.engine_version;
        state = null;
        break;
      case "init": {
        if (options === null) return diverged(r.seq, "an init before any open record", "");
        const first = init(plan, options);
        state = first.state;
        if (!same(first.commands, r.commands)) return diverged(r.seq, r.commands, first.commands);
        break;
      }
      case "input": {
        if (state === null) return diverged(r.seq, "an engine input before init", "");
        inputs += 1;
        const next = step(state, r.input);
        if (!same(next.commands, r.commands)) return diverged(r.seq, r.commands, next.commands);
        break;
      }
      case "event":
      case "proc":
      case "proc_exit":
        break;
    }
  }
  return { ok: true, segments, inputs };
}

function same(a: readonly Command[], b: readonly Command[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
