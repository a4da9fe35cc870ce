import { describe, expect, it } from "vitest";
import { plan, planStep } from "../engine/test-plan.js";
import { modelOf } from "../journal/testing.js";
import { ev } from "./testing.js";
import { traceSpans } from "./trace-spans.js";

describe("a run as trace spans", () => {
  it("nests steps under their innermost block, blocks under their parent, all under host and run", () => {
    const p = plan([
      planStep("a"),
      planStep("b", { block: { id: "inner", role: "main" }, needs: ["a"] }),
      planStep("c", { block: { id: "outer", role: "always" }, needs: ["b"] }),
    ]);
    // Listed child first: the spans still come parent first.
    p.blocks = [
      { id: "inner", parent: "outer", main: ["b"], rescue: [], always: [] },
      { id: "outer", parent: null, main: ["b"], rescue: [], always: ["c"] },
    ];
    const model = modelOf(p, "success", [
      ev.started("a", "a", 1), // 0
      ev.completed("a", "a", "ok", 100), // 100
      ev.started("b", "b", 2), // 200
      ev.retrying("b", "b", 2, 50, "rc"), // 300
      ev.started("b", "b", 2, "shell", 2), // 400
      ev.completed("b", "b", "changed", 100), // 500
      ev.started("c", "c", 3), // 600
      ev.completed("c", "c", "ok", 100), // 700
    ]);
    const specs = traceSpans(model, p.blocks);
    const tree = specs.map((s) => [s.key, s.parent, s.end - s.start]);
    expect(tree).toEqual([
      ["run", null, 700],
      ["host:local", "run", 700],
      ["block:local:outer", "host:local", 500],
      ["block:local:inner", "block:local:outer", 300],
      ["step:a:1:0", "host:local", 100],
      ["step:b:1:0", "block:local:inner", 100],
      ["step:b:2:1", "block:local:inner", 100],
      ["step:c:1:0", "block:local:outer", 100],
    ]);
    const firstTry = specs.find((s) => s.key === "step:b:1:0")!;
    expect(firstTry.events).toEqual([
      { name: "retry", time: firstTry.end, attributes: { "cairn.reason": "rc" } },
    ]);
    expect(firstTry.error).toMatch(/attempt 1 failed/);
    expect(specs.find((s) => s.key === "step:b:2:1")!.attributes["cairn.changed"]).toBe(true);
  });
});
