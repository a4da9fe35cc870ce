/** Test support for views of a run: a run's meta, and events as journal records. */
import type { RunEventPayload } from "../model/events.js";
import type { Plan } from "../model/plan.js";
import { script } from "../report/testing.js";
import type { ListedOutcome, RunMeta } from "./meta.js";
import type { JournalRecord } from "./records.js";
import { buildRunModel, type RunModel } from "./run-model.js";

export const META: RunMeta = {
  run_id: "run-1",
  playbook: "site.yml",
  root_dir: "/tmp",
  plan_digest: "sha256:test",
  started: "2026-01-01T00:00:00.000Z",
  ended: null,
  outcome: "running",
  stats: null,
  duration_ms: null,
  segments: 1,
  reran: [],
  dry_run: false,
};

/** Events 100 ms apart, as journal records. */
export function eventRecords(payloads: RunEventPayload[]): JournalRecord[] {
  return script(payloads).map((event, i) => ({ seq: i + 1, rec: "event", event }));
}

export function modelOf(plan: Plan, outcome: ListedOutcome, payloads: RunEventPayload[]): RunModel {
  return buildRunModel(plan, META, outcome, eventRecords(payloads));
}
