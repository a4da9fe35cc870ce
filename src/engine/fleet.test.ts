/** Fleet semantics of the pure engine (fleet.ts, SPEC §1.6). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan, PlanStep } from "../model/plan.js";
import { chain, options, plan } from "./test-plan.js";
import { type Outcome, Run, simulate } from "./test-run.js";

/** `hosts` × a chain of `steps`, ids `<host>/<step>`, host-major order as the planner emits. */
function fleet(
  hosts: string[],
  steps: string[],
  opts: { batches?: string[][]; maxFail?: number | null; handlers?: PlanStep[] } = {},
): Plan {
  const all = hosts.flatMap((h) =>
    chain(steps.map((s) => `${h}/${s}`)).map((s) => ({ ...s, target: h })),
  );
  return plan(all, {
    handlers: opts.handlers ?? [],
    fleet: {
      targets: hosts,
      batches: opts.batches ?? [hosts],
      max_fail_percentage: opts.maxFail ?? null,
      connections: {},
    },
  });
}

describe("fleet engine", () => {
  it("a failure stops its own host only; the run ends failed", () => {
    const r = new Run(fleet(["a", "b"], ["x", "y"]));
    expect(r.starts).toEqual(["a/x", "b/x"]);
    r.fail("a/x");
    expect(r.settled("a/y")).toEqual([{ status: "blocked", reason: "need 'a/x' failed" }]);
    r.ok("b/x");
    expect(r.starts).toContain("b/y");
    r.ok("b/y");
    expect(r.finish?.outcome).toBe("failed");
  });

  it("unreachable: the host's remaining steps end blocked; ignore_unreachable goes on", () => {
    const p = fleet(["a", "b"], ["x", "y"]);
    const r = new Run(p);
    r.fail("a/x", "unreachable", "connect ECONNREFUSED");
    expect(r.settled("a/x")[0]!.status).toBe("failed");
    expect(r.settled("a/y")[0]!.status).toBe("blocked");
    expect(r.starts).not.toContain("a/x#2");

    const q = fleet(["a"], ["x", "y"]);
    q.steps[0]!.policy.ignore_unreachable = true;
    const r2 = new Run(q);
    r2.fail("a/x", "unreachable", "down");
    expect(r2.settled("a/x")[0]!.status).toBe("ignored");
    expect(r2.starts).toContain("a/y");
  });

  it("an unreachable host's independent steps end blocked too (not only its dependants)", () => {
    const steps = ["a/x", "a/y"].map((id) => ({ ...chain([id])[0]!, target: "a" }));
    const p = plan(steps, {
      fleet: { targets: ["a"], batches: [["a"]], max_fail_percentage: null, connections: {} },
    });
    const r = new Run(p, options({ jobs: 1 }));
    r.fail("a/x", "unreachable", "down");
    expect(r.settled("a/y")).toEqual([{ status: "blocked", reason: "host 'a' is unreachable" }]);
  });

  it("serial: batch 2 starts only when batch 1 settled", () => {
    const r = new Run(fleet(["a", "b", "c"], ["x"], { batches: [["a", "b"], ["c"]] }));
    expect(r.starts).toEqual(["a/x", "b/x"]);
    r.ok("a/x");
    expect(r.starts).toEqual(["a/x", "b/x"]);
    r.ok("b/x");
    expect(r.starts).toEqual(["a/x", "b/x", "c/x"]);
  });

  it("max_fail_percentage: unset aborts when a whole batch failed; 100 never aborts", () => {
    const batches = [["a"], ["b"]];
    const r = new Run(fleet(["a", "b"], ["x"], { batches }));
    r.fail("a/x");
    expect(r.settled("b/x")[0]!.status).toBe("cancelled");
    expect(r.settled("b/x")[0]!.reason).toMatch(/every host of batch 1 failed/);

    const r100 = new Run(fleet(["a", "b"], ["x"], { batches, maxFail: 100 }));
    r100.fail("a/x");
    expect(r100.starts).toContain("b/x");
    r100.fail("b/x");
    expect(r100.finish?.outcome).toBe("failed");
  });

  it("max_fail_percentage: more than N% of the batch failed stops every host at once", () => {
    const r = new Run(fleet(["a", "b", "c", "d"], ["x", "y"], { maxFail: 25 }));
    r.fail("a/x"); // 25%: not more than 25
    r.ok("b/x");
    expect(r.starts).toContain("b/y");
    r.fail("c/x"); // 50% > 25%
    expect(r.settled("d/y")).toEqual([]);
    r.ok("d/x");
    expect(r.settled("d/y")[0]).toMatchObject({ status: "cancelled" });
    expect(r.settled("d/y")[0]!.reason).toMatch(/max_fail_percentage/);
  });

  it("forks bounds the hosts with a step running", () => {
    const r = new Run(fleet(["a", "b", "c"], ["x", "y"]), options({ forks: 2 }));
    expect(r.starts).toEqual(["a/x", "b/x"]);
    r.ok("a/x");
    // a's next step comes first in plan order and takes the fork a just freed.
    expect(r.starts).toEqual(["a/x", "b/x", "a/y"]);
    r.ok("a/y");
    expect(r.starts).toEqual(["a/x", "b/x", "a/y", "c/x"]);
    r.ok("b/x");
    expect(r.running).toEqual(["c/x", "b/y"]);
  });
});

describe("fleet engine properties", () => {
  const arb = fc.record({
    hosts: fc.integer({ min: 1, max: 5 }),
    steps: fc.integer({ min: 1, max: 4 }),
    serial: fc.integer({ min: 1, max: 5 }),
    maxFail: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    forks: fc.integer({ min: 1, max: 4 }),
    failures: fc.array(
      fc.constantFrom<Outcome | "unreachable">("ok", "rc", "unreachable", "changed"),
      {
        minLength: 20,
        maxLength: 20,
      },
    ),
    choices: fc.array(fc.nat(50), { minLength: 1, maxLength: 30 }),
  });

  it("every step settles once; forks and batches hold; a down host starts nothing after its failure", () => {
    fc.assert(
      fc.property(arb, (a) => {
        const hosts = Array.from({ length: a.hosts }, (_, i) => `h${i}`);
        const names = Array.from({ length: a.steps }, (_, i) => `s${i}`);
        const batches: string[][] = [];
        for (let i = 0; i < hosts.length; i += a.serial) batches.push(hosts.slice(i, i + a.serial));
        const p = fleet(hosts, names, { batches, maxFail: a.maxFail });
        const outcomes: Record<string, (Outcome | "unreachable")[]> = {};
        p.steps.forEach((s, i) => {
          outcomes[s.id] = [a.failures[i % a.failures.length]!];
        });
        const trace = simulate({
          plan: p,
          options: options({ forks: a.forks }),
          outcomes: outcomes as Record<string, Outcome[]>,
          choices: a.choices,
          cancel: null,
        });
        const settled = trace.commands.filter((c) => c.type === "Settled");
        expect(settled.map((c) => c.stepId).sort()).toEqual(p.steps.map((s) => s.id).sort());
        // Replay the commands: at no time more than `forks` hosts running, nor two batches.
        const running = new Map<string, number>();
        const batchOf = new Map(batches.flatMap((b, k) => b.map((h) => [h, k] as const)));
        const done = new Map<number, number>();
        const size = batches.map((b) => b.length * a.steps);
        const down = new Set<string>();
        for (const c of trace.commands) {
          if (c.type === "Start") {
            const h = c.stepId.split("/")[0]!;
            expect(down.has(h)).toBe(false);
            running.set(h, (running.get(h) ?? 0) + 1);
            expect([...running.values()].filter((n) => n > 0).length).toBeLessThanOrEqual(a.forks);
            const k = batchOf.get(h)!;
            for (let j = 0; j < k; j++) expect(done.get(j) ?? 0).toBe(size[j]);
          }
          if (c.type === "Settled") {
            const h = c.stepId.split("/")[0]!;
            if (trace.commands.some((x) => x.type === "Start" && x.stepId === c.stepId)) {
              running.set(h, (running.get(h) ?? 1) - 1);
            }
            const k = batchOf.get(h)!;
            done.set(k, (done.get(k) ?? 0) + 1);
            if (c.status === "failed") down.add(h);
          }
        }
        const finish = trace.commands.find((c) => c.type === "Finish");
        expect(finish).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
