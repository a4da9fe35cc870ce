/**
 * Property: folding any prefix of a run's journal and continuing (a resume after a
 * crash at that record) ends in the same state as one uninterrupted run: the same
 * status for every step and the same stats, each step's effect done at least once,
 * and no step that had finished well run again.
 */
import { fc, test } from "@fast-check/vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { execute, loadPlaybook } from "../../src/index.js";
import { readHistory } from "../../src/journal/history.js";
import type { JournalBody, JournalRecord } from "../../src/journal/records.js";
import type { RunEvent } from "../../src/model/events.js";

/** A playbook of print steps: some skipped by `when`, some registering. */
const playbook = fc
  .array(fc.record({ skip: fc.boolean(), register: fc.boolean() }), { minLength: 1, maxLength: 12 })
  .map((steps) =>
    steps
      .map(
        (s, i) =>
          `- name: s${i}\n  print: step ${i}\n` +
          (s.skip ? "  when: false_var\n" : "") +
          (s.register ? `  register: r${i}\n` : ""),
      )
      .join(""),
  );

function memoryJournal() {
  const records: JournalRecord[] = [];
  return {
    records,
    sink: {
      append: (body: JournalBody) =>
        records.push({ seq: records.length + 1, ...body } as JournalRecord),
      sync: () => Promise.resolve(),
    },
  };
}

function finalStatuses(events: RunEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events)
    if (e.type === "step.completed" || e.type === "step.skipped" || e.type === "step.failed")
      out[e.step_id] = e.status;
  return out;
}

test.prop([playbook, fc.nat(), fc.integer({ min: 1, max: 4 })], { numRuns: 40 })(
  "a resume from any prefix of the journal ends where an uninterrupted run ends",
  async (yaml, cut, jobs) => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-prop-"));
    writeFileSync(
      join(dir, "site.yml"),
      `vars: {false_var: false}\nsteps:\n${yaml.replace(/^/gm, "  ")}`,
    );
    const loaded = loadPlaybook(join(dir, "site.yml"));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const { plan, rootDir } = loaded.value;
    const whole = memoryJournal();
    const wholeEvents: RunEvent[] = [];
    const one = await execute(plan, {
      rootDir,
      playbook: "site.yml",
      jobs,
      seed: 1,
      runId: "p",
      journal: whole.sink,
      subscribers: [(e) => wholeEvents.push(e)],
    });
    const prefix = whole.records.slice(0, cut % (whole.records.length + 1));
    const history = readHistory(
      prefix,
      (id) => plan.steps.find((s) => s.id === id)?.register !== null,
    );
    const resumedEvents: RunEvent[] = [];
    const two = await execute(plan, {
      rootDir,
      playbook: "site.yml",
      jobs,
      seed: 1,
      runId: "p",
      segment: 2,
      history,
      subscribers: [(e) => resumedEvents.push(e)],
    });
    expect(two.outcome).toBe(one.outcome);
    expect(two.stats).toEqual(one.stats);
    expect(finalStatuses(resumedEvents)).toEqual(finalStatuses(wholeEvents));
    // A step that finished well before the cut is restored, not run.
    const ranAgain = resumedEvents
      .filter((e) => e.type === "step.started")
      .map((e) => (e as { step_id: string }).step_id);
    for (const id of history.done.keys()) expect(ranAgain).not.toContain(id);
  },
);
