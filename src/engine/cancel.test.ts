import { describe, expect, it } from "vitest";
import { chain, options, plan, planStep, retryPolicy } from "./test-plan.js";
import { Run } from "./test-run.js";

describe("cancel", () => {
  it("starts nothing new and lets running steps finish", () => {
    const steps = [...chain(["a", "b"]), planStep("c"), planStep("d")];
    const run = new Run(plan(steps), options({ jobs: 2 }));
    expect(run.running).toEqual(["a", "c"]);
    const commands = run.cancel();
    expect(commands).toEqual([
      { type: "Settled", stepId: "d", status: "cancelled", reason: "run cancelled" },
    ]);
    run.ok("a");
    expect(run.settled("b")).toEqual([{ status: "cancelled", reason: "run cancelled" }]);
    expect(run.finish).toBeUndefined();
    run.ok("c");
    expect(run.finish?.outcome).toBe("cancelled");
    expect(run.finish?.stats).toMatchObject({ ok: 2, cancelled: 2 });
  });

  it("kills every running step on a forced cancel; killed steps end cancelled", () => {
    const run = new Run(plan([planStep("a"), planStep("b")]));
    run.cancel();
    expect(run.cancel(true)).toEqual([
      { type: "Kill", stepId: "a", reason: "cancel" },
      { type: "Kill", stepId: "b", reason: "cancel" },
    ]);
    run.fail("a", "killed", "SIGTERM");
    run.fail("b", "rc", "exit 143");
    expect(run.settled("a")).toEqual([{ status: "cancelled", reason: "killed by cancel" }]);
    expect(run.settled("b")[0]?.status).toBe("cancelled");
    expect(run.finish?.outcome).toBe("cancelled");
  });

  it("retries nothing after a cancel", () => {
    const steps = [
      planStep("waiting", { policy: { retry: retryPolicy() } }),
      planStep("running", { policy: { retry: retryPolicy() } }),
    ];
    const run = new Run(plan(steps));
    run.fail("waiting");
    expect(run.cancel()).toEqual([
      { type: "ClearTimer", timerId: "retry:waiting" },
      { type: "Settled", stepId: "waiting", status: "cancelled", reason: "run cancelled" },
    ]);
    run.fail("running");
    expect(run.settled("running")[0]?.status).toBe("failed");
    expect(run.finish?.outcome).toBe("cancelled");
  });
});
