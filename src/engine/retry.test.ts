import { describe, expect, it } from "vitest";
import { retryDelay, retryMatches } from "./retry.js";
import { options, plan, planStep, retryPolicy } from "./test-plan.js";
import { Run } from "./test-run.js";

describe("retryMatches", () => {
  it("matches `any` to everything, and each kind to its reason", () => {
    expect(retryMatches(["any"], "killed")).toBe(true);
    expect(retryMatches(["timeout"], "timeout")).toBe(true);
    expect(retryMatches(["timeout"], "rc")).toBe(false);
    expect(retryMatches(["rc!=0"], "rc")).toBe(true);
    expect(retryMatches(["rc"], "rc")).toBe(true);
    expect(retryMatches(["error"], "error")).toBe(true);
    expect(retryMatches(["error"], "timeout")).toBe(false);
  });

  it("retries anything but a kill when `on` is empty", () => {
    expect(retryMatches([], "rc")).toBe(true);
    expect(retryMatches([], "timeout")).toBe(true);
    expect(retryMatches([], "killed")).toBe(false);
  });

  it("never retries a breaker fast-fail or a deadline", () => {
    expect(retryMatches(["any"], "breaker-open")).toBe(false);
    expect(retryMatches(["any"], "deadline")).toBe(false);
  });
});

describe("retryDelay", () => {
  it("grows by backoff from the first retry and is capped by max_delay_ms", () => {
    const policy = retryPolicy({ delay_ms: 100, backoff: 2, max_delay_ms: 500 });
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n, 0))).toEqual([100, 200, 400, 500, 500]);
  });

  it("scales by a factor in [0.5, 1) with jitter (equal jitter)", () => {
    const policy = retryPolicy({ delay_ms: 1000, backoff: 1, jitter: true });
    expect(retryDelay(policy, 1, 0)).toBe(500);
    expect(retryDelay(policy, 1, 0.5)).toBe(750);
    expect(retryDelay(policy, 1, 0.999)).toBe(1000);
  });

  it("stays finite when the backoff overflows", () => {
    const policy = retryPolicy({ delay_ms: 1e300, backoff: 1e300 });
    expect(retryDelay(policy, 3, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

const flaky = (id: string, retry = retryPolicy()) => planStep(id, { policy: { retry } });

describe("retries in the engine", () => {
  it("retries after the delay, then succeeds", () => {
    const run = new Run(plan([flaky("a")]));
    expect(run.fail("a", "rc")).toEqual([
      { type: "Retrying", stepId: "a", attempt: 2, delayMs: 100, reason: "rc" },
      { type: "SetTimer", timerId: "retry:a", ms: 100 },
    ]);
    expect(run.fire("retry:a")).toEqual([{ type: "Start", stepId: "a", attempt: 2 }]);
    run.fail("a", "rc");
    expect(run.log.at(-1)).toEqual({ type: "SetTimer", timerId: "retry:a", ms: 200 });
    run.fire("retry:a");
    run.ok("a");
    expect(run.starts).toEqual(["a", "a#2", "a#3"]);
    expect(run.finish?.outcome).toBe("success");
  });

  it("fails the step once the attempts are used up", () => {
    const run = new Run(plan([flaky("a", retryPolicy({ attempts: 2 }))]));
    run.fail("a");
    run.fire("retry:a");
    run.fail("a", "rc", "still broken");
    expect(run.settled("a")).toEqual([{ status: "failed", reason: "still broken" }]);
    expect(run.starts).toEqual(["a", "a#2"]);
  });

  it("does not retry failures its `on` list leaves out", () => {
    const run = new Run(plan([flaky("a", retryPolicy({ on: ["timeout"] }))]));
    run.fail("a", "rc");
    expect(run.settled("a")[0]?.status).toBe("failed");
  });

  it("gives a fired retry priority over first attempts", () => {
    const steps = [flaky("a"), planStep("b"), planStep("c")];
    const run = new Run(plan(steps), options({ jobs: 1 }));
    run.fail("a");
    expect(run.running).toEqual(["b"]);
    run.fire("retry:a");
    run.ok("b");
    expect(run.starts).toEqual(["a", "b", "a#2"]);
  });

  it("draws jitter from the seeded PRNG: same seed, same delays; other seed, other delays", () => {
    const delays = (seed: number) => {
      const run = new Run(
        plan([flaky("a", retryPolicy({ attempts: 5, delay_ms: 1000, backoff: 1, jitter: true }))]),
        options({ seed }),
      );
      for (let n = 0; n < 4; n++) {
        run.fail("a");
        run.fire("retry:a");
      }
      return run.log.flatMap((c) => (c.type === "Retrying" ? [c.delayMs] : []));
    };
    const first = delays(7);
    expect(delays(7)).toEqual(first);
    expect(delays(8)).not.toEqual(first);
    for (const d of first) {
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});

describe("timeouts and deadlines", () => {
  it("sets a timeout per attempt and kills the attempt when it fires", () => {
    const run = new Run(
      plan([planStep("a", { policy: { timeout_ms: 50, retry: retryPolicy({ attempts: 2 }) } })]),
    );
    expect(run.log).toEqual([
      { type: "Start", stepId: "a", attempt: 1 },
      { type: "SetTimer", timerId: "timeout:a:1", ms: 50 },
    ]);
    expect(run.fire("timeout:a:1")).toEqual([{ type: "Kill", stepId: "a", reason: "timeout" }]);
    run.fail("a", "timeout", "timed out after 50 ms");
    run.fire("retry:a");
    expect(run.log.slice(-2)).toEqual([
      { type: "Start", stepId: "a", attempt: 2 },
      { type: "SetTimer", timerId: "timeout:a:2", ms: 50 },
    ]);
    expect(run.ok("a")[0]).toEqual({ type: "ClearTimer", timerId: "timeout:a:2" });
  });

  it("ignores a stale timeout of a finished attempt", () => {
    const run = new Run(plan([planStep("a", { policy: { timeout_ms: 50 } }), planStep("b")]));
    run.ok("a");
    expect(run.fire("timeout:a:1")).toEqual([]);
  });

  it("kills a running step when its deadline fires, and does not retry it", () => {
    const run = new Run(
      plan([planStep("a", { policy: { deadline_ms: 1000, retry: retryPolicy({ on: ["any"] }) } })]),
    );
    expect(run.log).toContainEqual({ type: "SetTimer", timerId: "deadline:a", ms: 1000 });
    expect(run.fire("deadline:a")).toEqual([{ type: "Kill", stepId: "a", reason: "deadline" }]);
    run.fail("a", "killed", "killed");
    expect(run.settled("a")).toEqual([{ status: "failed", reason: "deadline exceeded" }]);
  });

  it("fails a step waiting for a retry when its deadline fires", () => {
    const run = new Run(
      plan([planStep("a", { policy: { deadline_ms: 1000, retry: retryPolicy() } })]),
    );
    run.fail("a");
    expect(run.fire("deadline:a")).toEqual([
      { type: "ClearTimer", timerId: "retry:a" },
      { type: "Settled", stepId: "a", status: "failed", reason: "deadline exceeded" },
      expect.objectContaining({ type: "Finish", outcome: "failed" }),
    ]);
  });

  it("sets the deadline once, on the first attempt", () => {
    const run = new Run(
      plan([planStep("a", { policy: { deadline_ms: 1000, retry: retryPolicy() } })]),
    );
    run.fail("a");
    run.fire("retry:a");
    const deadlines = run.log.filter((c) => c.type === "SetTimer" && c.timerId === "deadline:a");
    expect(deadlines).toHaveLength(1);
    expect(run.ok("a")).toContainEqual({ type: "ClearTimer", timerId: "deadline:a" });
  });
});
