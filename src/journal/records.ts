/**
 * The journal's records (SPEC §3.3): one JSON object per line of `events.jsonl`,
 * numbered by `seq` from 1 without gaps. A run is one or more *segments* (the first
 * run, then each resume); each segment opens with `open`, then `init` (the engine's
 * first commands), then the engine's inputs with the commands each produced, the
 * public events (the `--json` envelope, unchanged) and the process groups spawned.
 * The engine's state at any point is the fold of a segment's `input` records through
 * `step()` from `init`; `cairn replay` checks exactly that.
 */
import type { Command, EngineEvent, EngineOptions } from "../model/engine.js";
import type { RunEvent } from "../model/events.js";

/** Bumped when a record changes shape; a newer journal is refused. */
export const JOURNAL_FORMAT = 1;

export interface OpenRecord {
  rec: "open";
  segment: number;
  format: number;
  cairn_version: string;
  engine_version: number;
  options: EngineOptions;
  dry_run: boolean;
  /** Wall-clock start of the segment (ISO); informational, never read by the engine. */
  started: string;
  pid: number;
}

export type JournalBody =
  | OpenRecord
  | { rec: "init"; commands: Command[] }
  | { rec: "input"; input: EngineEvent; commands: Command[] }
  | { rec: "event"; event: RunEvent }
  /** A process group started for a step; `start` is its start time in clock ticks since boot. */
  | { rec: "proc"; step_id: string; pid: number; start: number | null; boot_id: string | null }
  | { rec: "proc_exit"; pid: number };

export type JournalRecord = { seq: number } & JournalBody;

/** Where records go: the driver appends, the store decides how they are kept. */
export interface JournalSink {
  /** Writes one record before returning (kill -9 safe); numbering is the sink's. */
  append(body: JournalBody): void;
  /** Resolves once everything appended so far is on stable storage. */
  sync(): Promise<void>;
}
