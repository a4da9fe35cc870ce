import { describe, expect, it } from "vitest";
import { options, plan, planStep, retryPolicy } from "./test-plan.js";
import { Run } from "./test-run.js";

const breaker = { key: "api", threshold: 2, cooldown_ms: 1000 };
const calls = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    planStep(`call${i}`, { policy: { breaker, ignore_errors: true } }),
  );

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

  it("passes the group turn on when a step released from its group fails fast", () => {
    const group = { id: "g", max: 1 };
    const steps = [
      planStep("a", {
        group,
        policy: { breaker: { ...breaker, threshold: 1 }, retry: retryPolicy({ attempts: 2 }) },
      }),
      planStep("b", { group }),
      planStep("c", { group }),
    ];
    const run = new Run(plan(steps), options({ keepGoing: true }));
    run.fail("a");
    expect(run.running).toEqual(["b"]);
    run.fire("retry:a");
    run.ok("b");
    expect(run.settled("a")).toEqual([{ status: "failed", reason: "circuit breaker 'api' open" }]);
    expect(run.running).toEqual(["c"]);
  });

  it("starts nothing else once a fast-fail stopped the run", () => {
    const steps = [
      planStep("a", { policy: { breaker: { ...breaker, threshold: 1 }, ignore_errors: true } }),
      planStep("b", { policy: { breaker } }),
      planStep("c"),
    ];
    const run = new Run(plan(steps), options({ jobs: 1 }));
    run.fail("a");
    expect(run.settled("b")[0]?.status).toBe("failed");
    expect(run.settled("c")).toEqual([
      { status: "cancelled", reason: "run stopped after a failure" },
    ]);
    expect(run.starts).toEqual(["a"]);
  });
});
