import { describe, expect, it } from "vitest";
import { plan, planStep } from "../engine/test-plan.js";
import type { RunEventPayload } from "../model/events.js";
import { ev, origin } from "../report/testing.js";
import type { JournalRecord } from "./records.js";
import { buildRunModel, OUTPUT_CAP } from "./run-model.js";
import { eventRecords as records, META, modelOf } from "./testing.js";

const fanOut = plan(
  [
    planStep("a"),
    planStep("b", { needs: ["a"] }),
    planStep("c", { needs: ["a"] }),
    planStep("d", { needs: ["b", "c"] }),
  ],
  { handlers: [planStep("h", { name: "restart" })] },
);

describe("the run model", () => {
  it("times each step from its events and follows the latest dependency for the critical path", () => {
    const model = modelOf(fanOut, "success", [
      ev.runStarted(5), // 0
      ev.started("a", "a", 1), // 100
      ev.completed("a", "a", "ok", 100), // 200
      ev.started("b", "b", 2), // 300
      ev.started("c", "c", 3), // 400
      ev.completed("b", "b", "changed", 200), // 500
      ev.completed("c", "c", "ok", 300), // 600: c ended last, so d waited for c
      ev.started("d", "d", 4), // 700
      ev.completed("d", "d", "ok", 100), // 800
      ev.started("h", "restart", 5), // 900
      ev.completed("h", "restart", "changed", 100), // 1000
    ]);
    const byId = Object.fromEntries(model.steps.map((s) => [s.step_id, s]));
    expect([byId.b!.start_ms, byId.b!.end_ms, byId.b!.status]).toEqual([300, 500, "changed"]);
    expect(byId.h!.kind).toBe("handler");
    expect(model.critical_path).toEqual(["a", "c", "d", "h"]);
    expect(byId.b!.critical).toBe(false);
    expect(model.span_ms).toBe(1000);
  });

  it("makes each attempt a segment and keeps why it was retried", () => {
    const model = modelOf(plan([planStep("f")]), "success", [
      ev.started("f", "flaky", 1), // 0
      ev.output("f", "flaky", "no luck", "stderr"), // 100
      ev.retrying("f", "flaky", 2, 100, "rc"), // 200
      ev.started("f", "flaky", 1, "shell", 2), // 300
      ev.output("f", "flaky", "one\ntwo"), // 400
      ev.completed("f", "flaky", "changed", 100), // 500
    ]);
    const f = model.steps[0]!;
    expect(f.attempts).toBe(2);
    expect(f.segments).toEqual([
      { attempt: 1, start_ms: 0, end_ms: 200, outcome: "retry", reason: "rc" },
      { attempt: 2, start_ms: 300, end_ms: 500, outcome: "changed", reason: null },
    ]);
    expect(f.output).toEqual([
      { stream: "stderr", text: "no luck" },
      { stream: "stdout", text: "one\ntwo" },
    ]);
  });

  it("shows a journal cut short as running up to its last event, the rest pending", () => {
    const model = modelOf(fanOut, "running", [
      ev.started("a", "a", 1),
      ev.completed("a", "a", "ok", 100),
      ev.started("b", "b", 2),
    ]);
    const [a, b, c] = model.steps;
    expect(a!.status).toBe("ok");
    expect([b!.status, b!.start_ms, b!.end_ms]).toEqual(["running", 200, 200]);
    expect([c!.status, c!.start_ms]).toEqual(["pending", null]);
  });

  it("marks a failure its block rescued, and compensation steps and what they undid", () => {
    const p = plan([
      planStep("x", { compensate: ["undo-x"] }),
      planStep("m", { block: { id: "b1", role: "main" }, needs: ["x"] }),
      planStep("r", { block: { id: "b1", role: "rescue" }, needs: ["m"] }),
      planStep("undo-x"),
    ]);
    p.blocks = [{ id: "b1", parent: null, main: ["m"], rescue: ["r"], always: [] }];
    const model = modelOf(p, "failed", [
      ev.started("x", "x", 1),
      ev.completed("x", "x", "changed", 100),
      ev.started("m", "m", 2),
      ev.failed("m", "m", "exit 1", origin("site.yml", 3), 100),
      ev.started("r", "r", 3),
      ev.completed("r", "r", "changed", 100),
      ev.started("undo-x", "undo-x", 4),
      ev.completed("undo-x", "undo-x", "changed", 100),
      { type: "step.compensated", step_id: "x", name: "x", attempt: 1, by: ["undo-x"] },
    ]);
    const byId = Object.fromEntries(model.steps.map((s) => [s.step_id, s]));
    expect([byId.m!.status, byId.m!.rescued, byId.m!.error]).toEqual(["failed", true, "exit 1"]);
    expect([byId.x!.status, byId.x!.compensated_by]).toEqual(["compensated", ["undo-x"]]);
    expect(byId["undo-x"]!.kind).toBe("compensation");
    // A compensation has no edges: it waited for what ended last before it began.
    expect(model.critical_path).toEqual(["x", "m", "r", "undo-x"]);
  });

  it("keeps at most OUTPUT_CAP characters of output per step and says it cut", () => {
    const line = "x".repeat(1000);
    const payloads: RunEventPayload[] = [ev.started("a", "a", 1)];
    for (let i = 0; i < 100; i++) payloads.push(ev.output("a", "a", line));
    const a = modelOf(plan([planStep("a")]), "running", payloads).steps[0]!;
    const kept = a.output.reduce((n, c) => n + c.text.length, 0);
    expect(kept).toBeLessThanOrEqual(OUTPUT_CAP + 100);
    expect(a.output_truncated).toBe(true);
  });

  it("counts a step in flight when a segment opened again as a rerun", () => {
    const recs = records([ev.started("a", "a", 1)]);
    const all: JournalRecord[] = [
      { seq: 1, rec: "input", input: { type: "StepStarted", stepId: "a" } } as JournalRecord,
      ...recs.map((r, i) => ({ ...r, seq: i + 2 })),
      { seq: 3, rec: "open" } as JournalRecord,
    ];
    const a = buildRunModel(plan([planStep("a")]), META, "crashed", all).steps[0]!;
    expect(a.reruns).toBe(1);
  });
});
