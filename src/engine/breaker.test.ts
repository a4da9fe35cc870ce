import { describe, expect, it } from "vitest";
import { options, plan, planStep } from "./test-plan.js";
import { Run } from "./test-run.js";

const breaker = { key: "api", threshold: 2, cooldown_ms: 1000 };
const calls = (n: number) =>
  Array.from({ length: n }, (_, i) => planStep(`call${i}`, { policy: { breaker, ignore_errors: true } }));

describe("circuit breaker", () => {
  it("fails attempts fast once consecutive failures reach the threshold", () => {
    const run = new Run(plan(calls(4)), options({ jobs: 1 }));
    run.fail("call0");
    run.at = 10;
    const commands = run.fail("call1");
    expect(commands).toContainEqual({
      type: "Settled",
      stepId: "call2",
      status: "ignored",
      reason: "circuit breaker 'api' open",
    });
    expect(run.starts).toEqual(["call0", "call1"]);
    expect(run.finish?.stats.ignored).toBe(4);
  });

  it("lets attempts through again after the cooldown, and a success closes it", () => {
    const steps = [
      ...calls(2),
      planStep("wait"),
      planStep("call2", { needs: ["wait"], policy: { breaker } }),
      planStep("call3", { needs: ["call2"], policy: { breaker } }),
    ];
    const run = new Run(plan(steps), options({ jobs: 1 }));
    run.fail("call0");
    run.fail("call1");
    run.at = 1500;
    run.ok("wait");
    expect(run.running).toEqual(["call2"]);
    run.ok("call2");
    expect(run.running).toEqual(["call3"]);
  });

  it("does not trip on failures of other keys or interleaved successes", () => {
    const steps = [
      planStep("a", { policy: { breaker, ignore_errors: true } }),
      planStep("b", { needs: ["a"], policy: { breaker } }),
      planStep("c", { needs: ["b"], policy: { breaker, ignore_errors: true } }),
      planStep("d", { needs: ["c"], policy: { breaker } }),
    ];
    const run = new Run(plan(steps));
    run.fail("a");
    run.ok("b");
    run.fail("c");
    expect(run.running).toEqual(["d"]);
  });
});
