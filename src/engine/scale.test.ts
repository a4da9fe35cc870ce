/**
 * Scale: 100,000-step plans run through the engine without quadratic work or deep
 * recursion (timings are for `npm run bench`, not asserted here; a quadratic engine
 * would blow the test timeout).
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../model/engine.js";
import { init, isFinished, step } from "./engine.js";
import { options, plan, planStep } from "./test-plan.js";

const N = 100_000;

/** Answers every Start at once with success (or failure for `failing`), until Finish. */
function drive(steps: ReturnType<typeof planStep>[], jobs: number, failing = new Set<string>()) {
  const { state, commands } = init(plan(steps), options({ jobs }));
  const pending: Command[] = [...commands];
  let at = 0;
  let finish: Command | undefined;
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (c.type === "Finish") finish = c;
    if (c.type !== "Start") continue;
    at += 1;
    const event = failing.has(c.stepId)
      ? ({
          type: "StepFailed",
          at,
          stepId: c.stepId,
          attempt: c.attempt,
          reason: "rc",
          message: "",
        } as const)
      : ({
          type: "StepSucceeded",
          at,
          stepId: c.stepId,
          attempt: c.attempt,
          changed: false,
        } as const);
    pending.push(...step(state, event).commands);
  }
  expect(isFinished(state)).toBe(true);
  return finish;
}

describe("scale", () => {
  it("runs a 100,000-step chain", () => {
    const steps = Array.from({ length: N }, (_, i) =>
      planStep(`s${i}`, { needs: i === 0 ? [] : [`s${i - 1}`] }),
    );
    expect(drive(steps, 10)).toMatchObject({ outcome: "success", stats: { ok: N } });
  });

  it("runs 100,000 independent steps with jobs 50", () => {
    const steps = Array.from({ length: N }, (_, i) => planStep(`s${i}`));
    expect(drive(steps, 50)).toMatchObject({ outcome: "success", stats: { ok: N } });
  });

  it("blocks a 100,000-step chain behind a failed first step without recursion", () => {
    const steps = Array.from({ length: N }, (_, i) =>
      planStep(`s${i}`, { needs: i === 0 ? [] : [`s${i - 1}`] }),
    );
    expect(drive(steps, 10, new Set(["s0"]))).toMatchObject({
      outcome: "failed",
      stats: { failed: 1, blocked: N - 1 },
    });
  });
});
