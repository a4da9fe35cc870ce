/**
 * Property tests: random DAGs (needs only on earlier steps, so acyclic by
 * construction), random outcomes per attempt, retry policies, timeouts, deadlines,
 * breakers, groups, handlers, `jobs` and cancels, driven by a simulated driver in a
 * random interleaving (test-run.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Command, EngineEvent, StepStatus } from "../model/engine.js";
import type { PlanStep, StepPolicy } from "../model/plan.js";
import { init, step } from "./engine.js";
import { encodeBlocks, type Item, options, plan, planStep } from "./test-plan.js";
import { type Outcome, type Scenario, simulate, type Trace } from "./test-run.js";

const SUCCESS: ReadonlySet<StepStatus> = new Set(["ok", "changed", "skipped", "ignored"]);

const outcomeArb = fc.constantFrom<Outcome>(
  "ok",
  "ok",
  "changed",
  "skip",
  "rc",
  "error",
  "timeout",
);
const policyArb: fc.Arbitrary<StepPolicy> = fc.record({
  timeout_ms: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  retry: fc.option(
    fc.record({
      attempts: fc.integer({ min: 1, max: 3 }),
      delay_ms: fc.integer({ min: 0, max: 1000 }),
      backoff: fc.integer({ min: 1, max: 3 }),
      max_delay_ms: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
      jitter: fc.boolean(),
      on: fc.subarray(["any", "timeout", "rc!=0", "error"]),
    }),
    { nil: null },
  ),
  ignore_errors: fc.boolean(),
  deadline_ms: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
  breaker: fc.option(
    fc.record({
      key: fc.constantFrom("k1", "k2"),
      threshold: fc.integer({ min: 1, max: 3 }),
      cooldown_ms: fc.integer({ min: 0, max: 50 }),
    }),
    { nil: null },
  ),
  output_limit: fc.constant(null),
  register_full: fc.constant(false),
});
const groupArb = fc.constantFrom<PlanStep["group"]>(
  null,
  { id: "g1", max: 1 },
  { id: "g2", max: 2 },
);
const stepArb = fc.record({
  policy: policyArb,
  group: groupArb,
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 3 }),
  notify: fc.subarray(["h0", "h1"]),
  needs: fc.array(fc.nat(), { maxLength: 3 }),
  /** Whether the step has a compensation step `c<i>` (with these outcomes). */
  compensation: fc.option(fc.array(outcomeArb, { minLength: 1, maxLength: 2 }), { nil: null }),
});

const dagArb: fc.Arbitrary<Scenario> = fc
  .record({
    specs: fc.array(stepArb, { minLength: 1, maxLength: 15 }),
    handlers: fc.array(fc.array(outcomeArb, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
    jobs: fc.integer({ min: 1, max: 4 }),
    keepGoing: fc.boolean(),
    compensate: fc.boolean(),
    seed: fc.nat(),
    choices: fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
    cancel: fc.option(fc.record({ after: fc.nat(40), force: fc.boolean() }), { nil: null }),
  })
  .map(({ specs, handlers, jobs, keepGoing, compensate, seed, choices, cancel }) => {
    const handlerIds = handlers.map((_, h) => `h${h}`);
    const steps = specs.map((spec, i) =>
      planStep(`s${i}`, {
        // Only earlier steps: acyclic by construction.
        needs: i === 0 ? [] : [...new Set(spec.needs.map((n) => `s${n % i}`))],
        policy: spec.policy,
        group: spec.group,
        notify: spec.notify.filter((id) => handlerIds.includes(id)),
        compensate: spec.compensation === null ? [] : [`c${i}`],
      }),
    );
    const outcomes: Record<string, Outcome[]> = {};
    specs.forEach((spec, i) => {
      outcomes[`s${i}`] = spec.outcomes;
      if (spec.compensation === null) return;
      steps.push(planStep(`c${i}`));
      outcomes[`c${i}`] = spec.compensation;
    });
    handlers.forEach((script, h) => {
      outcomes[`h${h}`] = script;
    });
    return {
      plan: plan(steps, { handlers: handlerIds.map((id) => planStep(id)) }),
      options: options({ jobs, keepGoing, compensate, seed }),
      outcomes,
      choices,
      cancel,
    };
  });

/** Final status of every step (the last Settled wins: `compensated` re-settles). */
function finalStatuses(trace: Trace): Map<string, StepStatus> {
  const final = new Map<string, StepStatus>();
  for (const c of trace.commands) if (c.type === "Settled") final.set(c.stepId, c.status);
  return final;
}

const allSteps = (sc: Scenario): PlanStep[] => [...sc.plan.steps, ...sc.plan.handlers];

describe("engine properties over random DAGs", () => {
  // 1. No step starts before all its `needs` succeeded (ok/changed/skipped/ignored).
  it("starts no step before its needs succeeded", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const trace = simulate(sc);
        const status = new Map<string, StepStatus>();
        const needs = new Map(sc.plan.steps.map((s) => [s.id, s.needs]));
        for (const c of trace.commands) {
          if (c.type === "Settled") status.set(c.stepId, c.status);
          if (c.type === "Start") {
            for (const need of needs.get(c.stepId) ?? []) {
              expect(SUCCESS.has(status.get(need)!)).toBe(true);
            }
          }
        }
      }),
    );
  });

  // 2. Running steps never exceed `jobs`, nor a group's `max`.
  it("never runs more than jobs steps, nor more than a group's max", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const trace = simulate(sc);
        const group = new Map(allSteps(sc).map((s) => [s.id, s.group]));
        const running = new Set<string>();
        for (const c of trace.commands) {
          if (c.type === "Start") running.add(c.stepId);
          if (c.type === "Settled" || c.type === "Retrying") running.delete(c.stepId);
          expect(running.size).toBeLessThanOrEqual(sc.options.jobs);
          const g = c.type === "Start" ? group.get(c.stepId) : null;
          if (g?.max != null) {
            const members = [...running].filter((id) => group.get(id)?.id === g.id);
            expect(members.length).toBeLessThanOrEqual(g.max);
          }
        }
      }),
    );
  });

  // 3. Every step ends in exactly one terminal status, and Finish is emitted exactly once, last.
  it("settles every step exactly once and finishes exactly once, last", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const trace = simulate(sc);
        const settled = new Map<string, StepStatus[]>();
        for (const c of trace.commands) {
          if (c.type === "Settled")
            settled.set(c.stepId, [...(settled.get(c.stepId) ?? []), c.status]);
        }
        for (const s of allSteps(sc)) {
          const [first, ...again] = settled.get(s.id) ?? [];
          expect(first).toBeDefined();
          // The one documented re-settlement: an ok/changed step undone by compensation.
          if (again.length > 0) {
            expect(again).toEqual(["compensated"]);
            expect(["ok", "changed"]).toContain(first);
          }
        }
        const finishes = trace.commands.filter((c) => c.type === "Finish");
        expect(finishes).toHaveLength(1);
        expect(trace.commands.at(-1)?.type).toBe("Finish");
        const counts: Record<string, number> = {};
        for (const status of finalStatuses(trace).values())
          counts[status] = (counts[status] ?? 0) + 1;
        const stats = finishes[0]!.type === "Finish" ? finishes[0]!.stats : null;
        for (const [status, n] of Object.entries(stats ?? {})) {
          if (status !== "rescued") expect(n).toBe(counts[status] ?? 0);
        }
      }),
    );
  });

  // 4. Attempts never exceed the retry policy, and are numbered 1, 2, … in order.
  it("never starts more attempts than the retry policy allows", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const trace = simulate(sc);
        const limit = new Map(allSteps(sc).map((s) => [s.id, s.policy.retry?.attempts ?? 1]));
        const last = new Map<string, number>();
        for (const c of trace.commands) {
          if (c.type !== "Start") continue;
          expect(c.attempt).toBe((last.get(c.stepId) ?? 0) + 1);
          expect(c.attempt).toBeLessThanOrEqual(limit.get(c.stepId)!);
          last.set(c.stepId, c.attempt);
        }
      }),
    );
  });

  // 5. Determinism: the same events in give the same commands out (run twice from init).
  it("is deterministic: replaying the recorded events from init gives the same commands", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const trace = simulate(sc);
        expect(simulate(sc).commands).toEqual(trace.commands);
        const replay: Command[][] = [];
        const first = init(sc.plan, sc.options);
        replay.push(first.commands);
        for (const { event } of trace.batches.slice(1)) {
          replay.push(step(first.state, event as EngineEvent).commands);
        }
        expect(replay).toEqual(trace.batches.map((b) => b.commands));
      }),
    );
  });

  // 6. A failed step's dependants end `blocked`.
  it("blocks the dependants of a failed step", () => {
    fc.assert(
      fc.property(dagArb, (sc) => {
        const final = finalStatuses(simulate(sc));
        for (const s of sc.plan.steps) {
          if (s.needs.some((need) => final.get(need) === "failed")) {
            expect(final.get(s.id)).toBe("blocked");
          }
        }
      }),
    );
  });

  // 7. Without keepGoing, no main step starts (a first attempt) after a non-ignored failure is recorded.
  it("starts no new main step after a failure unless keepGoing", () => {
    fc.assert(
      fc.property(
        dagArb.map((sc) => ({ ...sc, options: { ...sc.options, keepGoing: false } })),
        (sc) => {
          const trace = simulate(sc);
          const main = new Set(sc.plan.steps.filter((s) => s.id.startsWith("s")).map((s) => s.id));
          let failed = false;
          for (const c of trace.commands) {
            if (c.type === "Settled" && c.status === "failed") failed = true;
            if (failed && c.type === "Start" && c.attempt === 1) {
              expect(main.has(c.stepId)).toBe(false);
            }
          }
        },
      ),
    );
  });
});

/** Random nested blocks, encoded the way the planner does. */
type Shape = { step: true } | { main: Shape[]; rescue: Shape[]; always: Shape[] };

const { shape: shapeArb } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant({ step: true as const }),
    fc.record({
      main: fc.array(tie("shape"), { minLength: 1, maxLength: 3 }),
      rescue: fc.array(tie("shape"), { maxLength: 2 }),
      always: fc.array(tie("shape"), { maxLength: 2 }),
    }),
  ),
}));

function toItems(shapes: Shape[], counter: { n: number; blocks: number }): Item[] {
  return shapes.map((shape): Item => {
    if ("step" in shape) return { step: `s${counter.n++}` };
    const id = `b${counter.blocks++}`;
    return {
      block: id,
      main: toItems(shape.main, counter),
      rescue: toItems(shape.rescue, counter),
      always: toItems(shape.always, counter),
    };
  });
}

const blockScenarioArb = fc
  .record({
    shapes: fc.array(shapeArb, { minLength: 1, maxLength: 4 }),
    outcomes: fc.array(fc.array(outcomeArb, { minLength: 1, maxLength: 2 }), {
      minLength: 40,
      maxLength: 40,
    }),
    jobs: fc.integer({ min: 1, max: 3 }),
    keepGoing: fc.boolean(),
    choices: fc.array(fc.nat(), { minLength: 1, maxLength: 200 }),
    cancel: fc.option(fc.record({ after: fc.nat(30), force: fc.boolean() }), { nil: null }),
  })
  .map(({ shapes, outcomes: scripts, jobs, keepGoing, choices, cancel }): Scenario => {
    const { steps, blocks } = encodeBlocks(toItems(shapes, { n: 0, blocks: 0 }));
    const outcomes: Record<string, Outcome[]> = {};
    steps.forEach((s, i) => {
      outcomes[s.id] = scripts[i % scripts.length]!;
    });
    return {
      plan: plan(steps, { blocks }),
      options: options({ jobs, keepGoing }),
      outcomes,
      choices,
      cancel,
    };
  });

describe("engine properties over random nested blocks", () => {
  // Every step ends in exactly one terminal status and Finish comes once, last, whatever the nesting.
  it("settles every step exactly once and finishes", () => {
    fc.assert(
      fc.property(blockScenarioArb, (sc) => {
        const trace = simulate(sc);
        const counts = new Map<string, number>();
        for (const c of trace.commands) {
          if (c.type === "Settled") counts.set(c.stepId, (counts.get(c.stepId) ?? 0) + 1);
        }
        for (const s of sc.plan.steps) expect(counts.get(s.id)).toBe(1);
        expect(trace.commands.filter((c) => c.type === "Finish")).toHaveLength(1);
        expect(trace.commands.at(-1)?.type).toBe("Finish");
      }),
    );
  });

  // A rescue step starts only after a step of its block's main section failed.
  it("starts rescue steps only after a failure in their block's main section", () => {
    fc.assert(
      fc.property(blockScenarioArb, (sc) => {
        const trace = simulate(sc);
        const failed = new Set<string>();
        for (const c of trace.commands) {
          if (c.type === "Settled" && c.status === "failed") failed.add(c.stepId);
          if (c.type !== "Start" || c.attempt !== 1) continue;
          for (const b of sc.plan.blocks) {
            if (b.rescue.includes(c.stepId)) {
              expect(b.main.some((id) => failed.has(id))).toBe(true);
            }
          }
        }
      }),
    );
  });

  // Determinism holds with blocks too.
  it("is deterministic", () => {
    fc.assert(
      fc.property(blockScenarioArb, (sc) => {
        expect(simulate(sc).commands).toEqual(simulate(sc).commands);
      }),
    );
  });
});
