/**
 * A run told from its journal, for `cairn show`: per step its last status, the
 * attempts it took, its duration, and whether it ran again after an interruption.
 * Pure: records in, rows out.
 */
import type { RunEvent } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import type { JournalRecord } from "./records.js";

export interface StepRow {
  step_id: string;
  name: string;
  status: string;
  attempts: number;
  duration_ms: number | null;
  origin: string;
  /** How many times the step was started again after its run was interrupted. */
  reruns: number;
  /** The outcome came from an earlier segment (restored by a resume). */
  restored: boolean;
}

export function summarizeSteps(plan: Plan, records: readonly JournalRecord[]): StepRow[] {
  const rows = new Map<string, StepRow>();
  for (const s of [...plan.steps, ...plan.handlers]) {
    rows.set(s.id, {
      step_id: s.id,
      name: s.name,
      status: "pending",
      attempts: 0,
      duration_ms: null,
      origin: `${s.origin.file}:${s.origin.line}:${s.origin.column}`,
      reruns: 0,
      restored: false,
    });
  }
  const inFlight = new Set<string>();
  for (const r of records) {
    if (r.rec === "open") {
      for (const id of inFlight) {
        const row = rows.get(id);
        if (row !== undefined) row.reruns += 1;
      }
      inFlight.clear();
      continue;
    }
    if (r.rec === "input") {
      const input = r.input;
      if (input.type === "StepStarted") inFlight.add(input.stepId);
      else if ("stepId" in input) inFlight.delete(input.stepId);
      continue;
    }
    if (r.rec === "event") apply(rows, r.event);
  }
  return [...rows.values()];
}

function apply(rows: Map<string, StepRow>, e: RunEvent): void {
  if (!("step_id" in e)) return;
  const row = rows.get(e.step_id);
  if (row === undefined) return;
  row.name = e.name;
  switch (e.type) {
    case "step.started":
      row.status = "running";
      row.attempts = Math.max(row.attempts, e.attempt);
      return;
    case "step.completed":
      row.status = e.status;
      row.duration_ms = e.restored === true ? row.duration_ms : e.duration_ms;
      row.restored = e.restored === true;
      return;
    case "step.failed":
      row.status = e.status;
      row.duration_ms = e.duration_ms;
      row.restored = false;
      return;
    case "step.skipped":
      row.status = e.status;
      row.restored = e.restored === true;
      return;
    case "step.compensated":
      row.status = "compensated";
      return;
    case "handler.notified":
    case "step.message":
    case "step.output":
    case "step.retrying":
      return;
  }
}
