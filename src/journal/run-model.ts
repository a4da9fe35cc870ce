/**
 * One model of a run, folded from its plan and journal, shared by every view of it:
 * `cairn show` (text, json), `cairn report` and `cairn show --format html`. Per step:
 * when it started and ended (from the events' `ts`), each attempt as a segment, its
 * status, origin, output, diff, whether it was a handler or a compensation, and the
 * plan's edges; for the run: the summary and the critical path. A journal cut short
 * (a run still going, or crashed) folds the same way: what has not ended is `running`
 * up to the last event. Pure: records in, model out.
 */
import type { RunEvent } from "../model/events.js";
import type { BlockRole, Plan, PlanStep } from "../model/plan.js";
import type { ListedOutcome, RunMeta } from "./meta.js";
import type { JournalRecord } from "./records.js";

/** Output kept per step for the views; the full stream is in the run's output files. */
export const OUTPUT_CAP = 64 * 1024;

/** One attempt of a step: milliseconds from the run's start. */
export interface AttemptSegment {
  attempt: number;
  start_ms: number;
  end_ms: number | null;
  /** The step's status when it ended, `retry` when another attempt followed, `running`. */
  outcome: string;
  /** Why it was retried. */
  reason: string | null;
}

export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

export type StepKind = "step" | "handler" | "compensation";

export interface StepModel {
  step_id: string;
  name: string;
  action: string;
  host: string;
  kind: StepKind;
  /** The innermost block the step is in, and its section. */
  block_id: string | null;
  block_role: BlockRole | null;
  /** `file:line:col`. */
  origin: string;
  /** The last status: `pending` before any event, `running` while an attempt is open. */
  status: string;
  changed: boolean;
  attempts: number;
  start_ms: number | null;
  end_ms: number | null;
  duration_ms: number | null;
  segments: AttemptSegment[];
  output: OutputChunk[];
  output_truncated: boolean;
  diff: string | null;
  /** Why it failed (failed, ignored). */
  error: string | null;
  /** Why it did not run (skipped, blocked, cancelled) or is unknown (dry run). */
  reason: string | null;
  /** The plan's incoming edges. */
  needs: string[];
  /** Handlers this step notified. */
  notified: string[];
  /** The compensation steps that undid it. */
  compensated_by: string[];
  /** A failure that a block's rescue section absorbed. */
  rescued: boolean;
  /** On the chain of waits that decided when the run ended. */
  critical: boolean;
  /** How many times the step was started again after its run was interrupted. */
  reruns: number;
  /** The outcome came from an earlier segment (restored by a resume). */
  restored: boolean;
}

export interface RunModel {
  run_id: string;
  playbook: string;
  plan_digest: string;
  outcome: ListedOutcome;
  started: string;
  ended: string | null;
  duration_ms: number | null;
  stats: RunMeta["stats"];
  segments: number;
  reran: string[];
  dry_run: boolean;
  hosts: string[];
  /** Wall-clock time (ms since 1970) of the run's first event: every `_ms` offset counts from it. */
  epoch_ms: number;
  /** Milliseconds from the run's first event to its last (the timeline's length). */
  span_ms: number;
  steps: StepModel[];
  /** Step ids, first to last. */
  critical_path: string[];
}

export function buildRunModel(
  plan: Plan,
  meta: RunMeta,
  outcome: ListedOutcome,
  records: readonly JournalRecord[],
): RunModel {
  const steps = new Map<string, StepModel>();
  const compensations = new Set(plan.steps.flatMap((s) => s.compensate));
  for (const s of plan.steps)
    steps.set(s.id, newStep(s, compensations.has(s.id) ? "compensation" : "step"));
  for (const s of plan.handlers) steps.set(s.id, newStep(s, "handler"));

  const firstTs = records.find((r) => r.rec === "event");
  const t0 = firstTs?.rec === "event" ? Date.parse(firstTs.event.ts) : Date.parse(meta.started);
  let last = 0;
  const inFlight = new Set<string>();
  for (const r of records) {
    if (r.rec === "open") {
      for (const id of inFlight) {
        const row = steps.get(id);
        if (row !== undefined) row.reruns += 1;
      }
      inFlight.clear();
    } else if (r.rec === "input") {
      const input = r.input;
      if (input.type === "StepStarted") inFlight.add(input.stepId);
      else if ("stepId" in input) inFlight.delete(input.stepId);
    } else if (r.rec === "event") {
      const at = Date.parse(r.event.ts) - t0;
      if (at > last) last = at;
      apply(steps, r.event, at);
    }
  }
  for (const s of steps.values()) closeOpen(s, last);
  markRescued(plan, steps);
  const ordered = [...steps.values()];
  const path = criticalPath(ordered);
  for (const id of path) steps.get(id)!.critical = true;
  return {
    run_id: meta.run_id,
    playbook: meta.playbook,
    plan_digest: meta.plan_digest,
    outcome,
    started: meta.started,
    ended: meta.ended,
    duration_ms: meta.duration_ms,
    stats: meta.stats,
    segments: meta.segments,
    reran: meta.reran,
    dry_run: meta.dry_run,
    hosts: [...new Set(ordered.map((s) => s.host))],
    epoch_ms: t0,
    span_ms: last,
    steps: ordered,
    critical_path: path,
  };
}

function newStep(s: PlanStep, kind: StepKind): StepModel {
  return {
    step_id: s.id,
    name: s.name,
    action: s.action,
    host: s.target,
    kind,
    block_id: s.block?.id ?? null,
    block_role: s.block?.role ?? null,
    origin: `${s.origin.file}:${s.origin.line}:${s.origin.column}`,
    status: s.skipped === null ? "pending" : "skipped",
    changed: false,
    attempts: 0,
    start_ms: null,
    end_ms: null,
    duration_ms: null,
    segments: [],
    output: [],
    output_truncated: false,
    diff: null,
    error: null,
    reason: s.skipped?.reason ?? null,
    needs: s.needs,
    notified: [],
    compensated_by: [],
    rescued: false,
    critical: false,
    reruns: 0,
    restored: false,
  };
}

function apply(steps: Map<string, StepModel>, e: RunEvent, at: number): void {
  if (!("step_id" in e)) return;
  const s = steps.get(e.step_id);
  if (s === undefined) return;
  s.name = e.name;
  switch (e.type) {
    case "step.started":
      // An attempt still open when the step starts again was cut off by an interruption.
      closeOpen(s, at, "interrupted");
      s.status = "running";
      s.action = e.action;
      s.attempts = Math.max(s.attempts, e.attempt);
      s.start_ms ??= at;
      s.end_ms = null;
      s.segments.push({
        attempt: e.attempt,
        start_ms: at,
        end_ms: null,
        outcome: "running",
        reason: null,
      });
      return;
    case "step.retrying": {
      const open = s.segments.at(-1);
      if (open !== undefined && open.end_ms === null) {
        open.end_ms = at;
        open.outcome = "retry";
        open.reason = e.reason;
      }
      return;
    }
    case "step.output":
      addOutput(s, e.stream, e.line);
      return;
    case "step.completed":
      if (e.restored === true && s.segments.length > 0) {
        s.restored = true;
        return;
      }
      finish(s, e.status, at, e.duration_ms);
      s.changed = e.changed;
      s.restored = e.restored === true;
      s.diff = e.diff ?? null;
      s.error = e.error ?? null;
      s.reason = e.reason ?? null;
      return;
    case "step.failed":
      finish(s, e.status, at, e.duration_ms);
      s.error = e.error;
      s.restored = false;
      return;
    case "step.skipped":
      if (e.restored === true && s.status !== "pending") {
        s.restored = true;
        return;
      }
      s.status = e.status;
      s.reason = e.reason;
      s.restored = e.restored === true;
      s.start_ms ??= at;
      s.end_ms = at;
      return;
    case "step.compensated":
      s.status = "compensated";
      s.compensated_by = e.by;
      return;
    case "handler.notified":
      if (!s.notified.includes(e.handler_id)) s.notified.push(e.handler_id);
      return;
    case "step.message":
      addOutput(s, "stdout", e.message);
      return;
  }
}

function finish(s: StepModel, status: string, at: number, duration: number): void {
  s.status = status;
  s.duration_ms = duration;
  s.end_ms = at;
  s.start_ms ??= at;
  closeOpen(s, at, status);
}

/** Ends an attempt left open: by a later event, or (run cut short) at the last event. */
function closeOpen(s: StepModel, at: number, outcome?: string): void {
  const open = s.segments.at(-1);
  if (open === undefined || open.end_ms !== null) return;
  open.end_ms = at;
  if (outcome !== undefined) open.outcome = outcome;
  if (s.status === "running") s.end_ms = at;
}

function addOutput(s: StepModel, stream: "stdout" | "stderr", text: string): void {
  if (s.output_truncated) return;
  const used = s.output.reduce((n, c) => n + c.text.length, 0);
  const room = OUTPUT_CAP - used;
  const kept = text.length > room ? text.slice(0, room) : text;
  if (kept.length < text.length) s.output_truncated = true;
  const prev = s.output.at(-1);
  if (prev !== undefined && prev.stream === stream) prev.text += `\n${kept}`;
  else s.output.push({ stream, text: kept });
}

/** A failed step inside a block whose rescue section ran was rescued. */
function markRescued(plan: Plan, steps: Map<string, StepModel>): void {
  for (const b of plan.blocks) {
    const rescueRan = b.rescue.some((id) => (steps.get(id)?.segments.length ?? 0) > 0);
    if (!rescueRan) continue;
    for (const id of b.main) {
      const s = steps.get(id);
      if (s?.status === "failed") s.rescued = true;
    }
  }
}

/**
 * From the step that ended last, back through what it waited for: the dependency
 * that ended last before it started. Handlers and compensations have no edges; they
 * wait for the steps before them, so the step that ended last before one started
 * stands in.
 */
function criticalPath(steps: readonly StepModel[]): string[] {
  const byId = new Map(steps.map((s) => [s.step_id, s]));
  const timed = steps.filter((s) => s.end_ms !== null && s.start_ms !== null);
  let cur = latest(timed, Number.POSITIVE_INFINITY);
  const path: string[] = [];
  const seen = new Set<string>();
  while (cur !== undefined && !seen.has(cur.step_id)) {
    seen.add(cur.step_id);
    path.push(cur.step_id);
    const start = cur.start_ms!;
    const deps =
      cur.needs.length > 0 || cur.kind === "step"
        ? cur.needs.flatMap((id) => {
            const d = byId.get(id);
            return d?.end_ms == null || d.start_ms === null ? [] : [d];
          })
        : timed.filter((s) => s !== cur);
    cur = latest(deps, start);
  }
  return path.reverse();
}

function latest(steps: readonly StepModel[], notAfter: number): StepModel | undefined {
  let best: StepModel | undefined;
  for (const s of steps) {
    if (s.end_ms === null || s.end_ms > notAfter) continue;
    if (best === undefined || s.end_ms > best.end_ms!) best = s;
  }
  return best;
}
