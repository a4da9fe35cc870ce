import { describe, expect, it } from "vitest";
import { emptyStats } from "../model/engine.js";
import { init, statusOf, step } from "./engine.js";
import { chain, options, plan, planStep } from "./test-plan.js";
import { Run } from "./test-run.js";

describe("scheduling", () => {
  it("runs a chain in order and finishes with success", () => {
    const run = new Run(plan(chain(["a", "b", "c"])));
    expect(run.starts).toEqual(["a"]);
    run.ok("a");
    run.changed("b");
    run.ok("c");
    expect(run.starts).toEqual(["a", "b", "c"]);
    expect(run.finish).toEqual({
      type: "Finish",
      outcome: "success",
      stats: {
        ok: 2,
        changed: 1,
        skipped: 0,
        failed: 0,
        ignored: 0,
        blocked: 0,
        cancelled: 0,
        compensated: 0,
        rescued: 0,
      },
    });
    expect(run.log.at(-1)?.type).toBe("Finish");
  });

  it("starts ready steps in seq order, never more than jobs at once", () => {
    const steps = ["e", "d", "c", "b", "a"].map((id, i) => planStep(id, { seq: 5 - i }));
    const run = new Run(plan(steps), options({ jobs: 2 }));
    expect(run.starts).toEqual(["a", "b"]);
    run.ok("b");
    expect(run.starts).toEqual(["a", "b", "c"]);
    run.ok("a");
    run.ok("c");
    expect(run.running).toEqual(["d", "e"]);
  });

  it("bounds a group by its max, without holding back steps outside the group", () => {
    const group = { id: "loop", max: 1 };
    const steps = [
      planStep("i0", { group }),
      planStep("i1", { group }),
      planStep("i2", { group }),
      planStep("other"),
    ];
    const run = new Run(plan(steps), options({ jobs: 3 }));
    expect(run.starts).toEqual(["i0", "other"]);
    run.ok("i0");
    expect(run.starts).toEqual(["i0", "other", "i1"]);
    run.ok("i1");
    run.ok("i2");
    run.ok("other");
    expect(run.finish?.outcome).toBe("success");
  });

  it("waits for every need of a join", () => {
    const steps = [planStep("a"), planStep("b"), planStep("join", { needs: ["a", "b"] })];
    const run = new Run(plan(steps));
    run.ok("a");
    expect(run.status("join")).toBe("pending");
    run.ok("b");
    expect(run.running).toEqual(["join"]);
  });

  it("settles plan-time skipped steps without starting them, and their dependants run", () => {
    const steps = chain(["a", "b", "c"]);
    steps[1] = { ...steps[1]!, skipped: { reason: "tag filtered" } };
    const run = new Run(plan(steps));
    run.ok("a");
    expect(run.settled("b")).toEqual([{ status: "skipped", reason: "tag filtered" }]);
    expect(run.starts).toEqual(["a", "c"]);
  });

  it("records a runtime skip (when/creates/unless) as skipped with its reason", () => {
    const run = new Run(plan(chain(["a", "b"])));
    run.skip("a", "creates: /etc/app exists");
    expect(run.settled("a")).toEqual([{ status: "skipped", reason: "creates: /etc/app exists" }]);
    expect(run.running).toEqual(["b"]);
  });

  it("accepts StepStarted as information only", () => {
    const run = new Run(plan([planStep("a")]));
    expect(run.send({ type: "StepStarted", stepId: "a", attempt: 1 })).toEqual([]);
    expect(run.status("a")).toBe("running");
  });

  it("finishes an empty plan at once", () => {
    const { commands } = init(plan([]), options());
    expect(commands).toEqual([
      {
        type: "Finish",
        outcome: "success",
        stats: emptyStats(),
      },
    ]);
  });
});

describe("failures", () => {
  it("blocks dependants transitively, cancels never-started steps and lets running ones finish", () => {
    const steps = [...chain(["a", "b", "c"]), planStep("slow"), planStep("later", { seq: 9 })];
    const run = new Run(plan(steps), options({ jobs: 2 }));
    expect(run.running).toEqual(["a", "slow"]);
    run.fail("a");
    expect(run.settled("a")).toEqual([{ status: "failed", reason: "exit status 1" }]);
    expect(run.settled("b")).toEqual([{ status: "blocked", reason: "need 'a' failed" }]);
    expect(run.settled("c")).toEqual([{ status: "blocked", reason: "need 'b' blocked" }]);
    expect(run.settled("later")).toEqual([
      { status: "cancelled", reason: "run stopped after a failure" },
    ]);
    expect(run.finish).toBeUndefined();
    run.ok("slow");
    expect(run.settled("slow")).toEqual([{ status: "ok", reason: null }]);
    expect(run.finish?.outcome).toBe("failed");
    expect(run.finish?.stats).toMatchObject({ ok: 1, failed: 1, blocked: 2, cancelled: 1 });
  });

  it("with keepGoing runs everything not blocked by the failure", () => {
    const steps = [...chain(["a", "b"]), planStep("x"), planStep("y", { needs: ["x"] })];
    const run = new Run(plan(steps), options({ jobs: 1, keepGoing: true }));
    run.fail("a");
    expect(run.settled("b")[0]?.status).toBe("blocked");
    run.ok("x");
    run.ok("y");
    expect(run.starts).toEqual(["a", "x", "y"]);
    expect(run.finish?.outcome).toBe("failed");
  });

  it("treats ignore_errors failures as success for dependants", () => {
    const steps = chain(["a", "b"]);
    steps[0] = { ...steps[0]!, policy: { ...steps[0]!.policy, ignore_errors: true } };
    const run = new Run(plan(steps));
    run.fail("a", "rc", "grep found nothing");
    expect(run.settled("a")).toEqual([{ status: "ignored", reason: "grep found nothing" }]);
    run.ok("b");
    expect(run.finish?.outcome).toBe("success");
    expect(run.finish?.stats).toMatchObject({ ok: 1, ignored: 1 });
  });

  it("blocks a join when one need failed even if another was cancelled", () => {
    const steps = [planStep("a"), planStep("b"), planStep("join", { needs: ["a", "b"] })];
    const run = new Run(plan(steps));
    run.cancel();
    run.fail("a");
    run.ok("b");
    expect(run.settled("join")).toEqual([{ status: "blocked", reason: "need 'a' failed" }]);
  });
});

describe("events and queries", () => {
  it("ignores events for attempts that are not running and events after Finish", () => {
    const run = new Run(plan(chain(["a", "b"])));
    expect(run.send({ type: "StepSucceeded", stepId: "b", attempt: 1, changed: false })).toEqual(
      [],
    );
    expect(
      run.send({ type: "StepFailed", stepId: "a", attempt: 2, reason: "rc", message: "" }),
    ).toEqual([]);
    run.ok("a");
    run.ok("b");
    expect(run.finished).toBe(true);
    expect(run.ok("b")).toEqual([]);
    expect(run.fire("retry:b")).toEqual([]);
  });

  it("throws on an unknown step id", () => {
    const run = new Run(plan([planStep("a")]));
    expect(() => run.ok("nope")).toThrow(/unknown step 'nope'/);
    expect(() => statusOf(run.state, "nope")).toThrow(RangeError);
  });

  it("reports pending, running, waiting-retry and terminal statuses", () => {
    const steps = chain(["a", "b"], {
      policy: {
        retry: { attempts: 2, delay_ms: 5, backoff: 1, max_delay_ms: null, jitter: false, on: [] },
      },
    });
    const run = new Run(plan(steps));
    expect(run.status("a")).toBe("running");
    expect(run.status("b")).toBe("pending");
    run.fail("a");
    expect(run.status("a")).toBe("waiting-retry");
    run.fire("retry:a");
    run.ok("a");
    expect(run.status("a")).toBe("ok");
  });

  it("refuses invalid plans and options", () => {
    expect(() => init(plan([planStep("a"), planStep("a")]), options())).toThrow(/duplicate/);
    expect(() => init(plan([planStep("a", { needs: ["x"] })]), options())).toThrow(
      /unknown step 'x'/,
    );
    expect(() =>
      init(plan([planStep("a", { needs: ["b"] }), planStep("b", { needs: ["a"] })]), options()),
    ).toThrow(/cycle/);
    expect(() => init(plan([planStep("a", { notify: ["a"] })]), options())).toThrow(
      /not a handler/,
    );
    expect(() => init(plan([planStep("a")]), options({ jobs: 0 }))).toThrow(RangeError);
  });

  it("returns the same state object: the state is owned and updated in place", () => {
    const { state } = init(plan([planStep("a")]), options());
    const next = step(state, {
      type: "StepSucceeded",
      at: 1,
      stepId: "a",
      attempt: 1,
      changed: false,
    });
    expect(next.state).toBe(state);
  });
});
