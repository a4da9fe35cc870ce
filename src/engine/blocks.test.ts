import { describe, expect, it } from "vitest";
import { encodeBlocks, type Item, options, plan, planStep } from "./test-plan.js";
import { Run } from "./test-run.js";

/** before → block b { m1, m2 } rescue { r1, r2 } always { a1 } → after */
const standard: Item[] = [
  { step: "before" },
  {
    block: "b",
    main: [{ step: "m1" }, { step: "m2" }],
    rescue: [{ step: "r1" }, { step: "r2" }],
    always: [{ step: "a1" }],
  },
  { step: "after" },
];

function runOf(items: Item[], opts = options()): Run {
  const { steps, blocks } = encodeBlocks(items);
  return new Run(plan(steps, { blocks }), opts);
}

const statuses = (run: Run, ids: string[]) => ids.map((id) => run.settled(id)[0]?.status);

describe("block / rescue / always", () => {
  it("skips the rescue section when the main section succeeds", () => {
    const run = runOf(standard);
    run.ok("before");
    run.ok("m1");
    run.ok("m2");
    expect(run.settled("r1")).toEqual([
      { status: "skipped", reason: "no failure to rescue in block 'b'" },
    ]);
    expect(run.settled("r2")[0]?.status).toBe("skipped");
    run.ok("a1");
    run.ok("after");
    expect(run.starts).toEqual(["before", "m1", "m2", "a1", "after"]);
    expect(run.finish?.outcome).toBe("success");
  });

  it("runs the rescue after a main failure; a successful rescue lets the run go on", () => {
    const run = runOf(standard);
    run.ok("before");
    run.fail("m1");
    expect(run.settled("m2")).toEqual([{ status: "blocked", reason: "need 'm1' failed" }]);
    expect(run.running).toEqual(["r1"]);
    run.ok("r1");
    run.ok("r2");
    run.ok("a1");
    run.ok("after");
    expect(statuses(run, ["m1", "m2", "r1", "r2", "a1", "after"])).toEqual([
      "failed",
      "blocked",
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
    expect(run.finish?.outcome).toBe("success");
    expect(run.finish?.stats).toMatchObject({ failed: 1, blocked: 1, rescued: 1 });
  });

  it("runs always but not the steps after the block when the rescue fails", () => {
    const run = runOf(standard);
    run.ok("before");
    run.fail("m1");
    run.fail("r1");
    expect(run.settled("r2")[0]?.status).toBe("blocked");
    expect(run.running).toEqual(["a1"]);
    run.ok("a1");
    expect(run.settled("after")).toEqual([{ status: "blocked", reason: "block 'b' failed" }]);
    expect(run.finish?.outcome).toBe("failed");
    expect(run.finish?.stats).toMatchObject({ failed: 2, rescued: 0 });
  });

  it("runs always after an unrescued failure even though the run is stopping", () => {
    const run = runOf([
      { block: "b", main: [{ step: "m1" }, { step: "m2" }], always: [{ step: "a1" }] },
      { step: "after" },
    ]);
    run.fail("m1");
    expect(run.running).toEqual(["a1"]);
    run.ok("a1");
    expect(statuses(run, ["m1", "m2", "a1", "after"])).toEqual([
      "failed",
      "blocked",
      "ok",
      "blocked",
    ]);
    expect(run.finish?.outcome).toBe("failed");
  });

  it("runs always when the main section succeeded, and a failing always fails the block", () => {
    const run = runOf([
      { block: "b", main: [{ step: "m1" }], always: [{ step: "a1" }] },
      { step: "after" },
    ]);
    run.ok("m1");
    run.fail("a1");
    expect(run.settled("after")[0]?.status).toBe("blocked");
    expect(run.finish?.outcome).toBe("failed");
  });

  it("blocks a whole block, always included, when a step before it failed", () => {
    const run = runOf(standard, options({ keepGoing: true }));
    run.fail("before");
    expect(statuses(run, ["m1", "m2", "r1", "r2", "a1", "after"])).toEqual(
      Array(6).fill("blocked"),
    );
    expect(run.starts).toEqual(["before"]);
  });

  it("cancels a block that never started when another branch stopped the run", () => {
    const { steps, blocks } = encodeBlocks([
      { step: "gate" },
      { block: "b", main: [{ step: "m1" }], always: [{ step: "a1" }] },
    ]);
    const run = new Run(plan([planStep("boom"), ...steps], { blocks }));
    run.fail("boom");
    run.ok("gate");
    expect(statuses(run, ["m1", "a1"])).toEqual(["cancelled", "cancelled"]);
    expect(run.finish?.outcome).toBe("failed");
  });

  it("runs always of an entered block when another branch stopped the run", () => {
    const { steps, blocks } = encodeBlocks([
      { block: "b", main: [{ step: "m1" }, { step: "m2" }], always: [{ step: "a1" }] },
    ]);
    const run = new Run(plan([planStep("boom"), ...steps], { blocks }));
    run.fail("boom");
    run.ok("m1");
    expect(run.settled("m2")[0]?.status).toBe("cancelled");
    expect(run.running).toEqual(["a1"]);
    run.ok("a1");
    expect(run.finish?.outcome).toBe("failed");
  });

  it("runs rescue steps even while the run is stopping", () => {
    const { steps, blocks } = encodeBlocks([
      { block: "b", main: [{ step: "m1" }], rescue: [{ step: "r1" }] },
    ]);
    const run = new Run(plan([planStep("boom"), ...steps], { blocks }));
    run.fail("boom");
    run.fail("m1");
    expect(run.running).toEqual(["r1"]);
    run.ok("r1");
    expect(run.finish?.outcome).toBe("failed");
    expect(run.finish?.stats).toMatchObject({ failed: 2, rescued: 1 });
  });
});

describe("nested blocks", () => {
  const nested = (innerRescue: Item[]): Item[] => [
    {
      block: "outer",
      main: [
        { step: "o1" },
        { block: "inner", main: [{ step: "i1" }, { step: "i2" }], rescue: innerRescue },
        { step: "o2" },
      ],
      rescue: [{ step: "or1" }],
      always: [{ step: "oa1" }],
    },
    { step: "after" },
  ];

  it("lets the outer main section continue when the inner block rescued the failure", () => {
    const run = runOf(nested([{ step: "ir1" }]));
    run.ok("o1");
    run.fail("i1");
    run.ok("ir1");
    expect(run.running).toEqual(["o2"]);
    run.ok("o2");
    expect(run.settled("or1")[0]?.status).toBe("skipped");
    run.ok("oa1");
    run.ok("after");
    expect(run.finish?.outcome).toBe("success");
    expect(run.finish?.stats).toMatchObject({ rescued: 1 });
  });

  it("hands an unrescued inner failure to the outer rescue", () => {
    const run = runOf(nested([{ step: "ir1" }]));
    run.ok("o1");
    run.fail("i1");
    run.fail("ir1");
    expect(run.settled("o2")).toEqual([{ status: "blocked", reason: "block 'inner' failed" }]);
    expect(run.running).toEqual(["or1"]);
    run.ok("or1");
    run.ok("oa1");
    run.ok("after");
    expect(run.finish?.outcome).toBe("success");
    expect(run.finish?.stats).toMatchObject({ failed: 2, rescued: 1 });
  });

  it("hands a failure of an inner block without rescue straight to the outer rescue", () => {
    const run = runOf(nested([]));
    run.ok("o1");
    run.fail("i1");
    expect(statuses(run, ["i2", "o2"])).toEqual(["blocked", "blocked"]);
    run.fail("or1");
    run.ok("oa1");
    expect(run.settled("after")[0]?.status).toBe("blocked");
    expect(run.finish?.outcome).toBe("failed");
  });
});
