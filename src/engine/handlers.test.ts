import { describe, expect, it } from "vitest";
import { chain, options, plan, planStep, retryPolicy } from "./test-plan.js";
import { Run } from "./test-run.js";

const handlers = [planStep("restart-web"), planStep("reload-cache"), planStep("restart-db")];

describe("handlers", () => {
  it("notifies once per handler and runs notified handlers at the end, in plan order", () => {
    const steps = [
      planStep("conf", { notify: ["restart-db", "restart-web"] }),
      planStep("site", { needs: ["conf"], notify: ["restart-web"] }),
    ];
    const run = new Run(plan(steps, { handlers }));
    expect(run.changed("conf")).toEqual([
      { type: "Settled", stepId: "conf", status: "changed", reason: null },
      { type: "Notified", stepId: "conf", handlerId: "restart-db" },
      { type: "Notified", stepId: "conf", handlerId: "restart-web" },
      { type: "Start", stepId: "site", attempt: 1 },
    ]);
    expect(run.changed("site").filter((c) => c.type === "Notified")).toEqual([]);
    expect(run.running).toEqual(["restart-web"]);
    expect(run.settled("reload-cache")).toEqual([]);
    run.ok("restart-web");
    expect(run.settled("reload-cache")).toEqual([{ status: "skipped", reason: "not notified" }]);
    expect(run.running).toEqual(["restart-db"]);
    run.ok("restart-db");
    expect(run.finish?.outcome).toBe("success");
  });

  it("does not notify on an unchanged result", () => {
    const run = new Run(plan([planStep("conf", { notify: ["restart-web"] })], { handlers }));
    run.ok("conf");
    expect(run.log.filter((c) => c.type === "Notified")).toEqual([]);
    expect(run.starts).toEqual(["conf"]);
    expect(run.finish?.stats.skipped).toBe(3);
  });

  it("runs notified handlers after a failure (force-handlers)", () => {
    const steps = [planStep("conf", { notify: ["restart-web"] }), ...chain(["x", "y"])];
    const run = new Run(plan(steps, { handlers }));
    run.changed("conf");
    run.fail("x");
    expect(run.running).toEqual(["restart-web"]);
    run.ok("restart-web");
    expect(run.finish?.outcome).toBe("failed");
  });

  it("runs handlers one at a time, with retries, and a failing handler fails the run", () => {
    const hs = [
      planStep("h1", { policy: { retry: retryPolicy({ attempts: 2 }) } }),
      planStep("h2"),
    ];
    const run = new Run(
      plan([planStep("conf", { notify: ["h1", "h2"] })], { handlers: hs }),
      options({ jobs: 4 }),
    );
    run.changed("conf");
    expect(run.running).toEqual(["h1"]);
    run.fail("h1");
    run.fire("retry:h1");
    run.fail("h1");
    expect(run.running).toEqual(["h2"]);
    run.ok("h2");
    expect(run.finish?.outcome).toBe("failed");
  });

  it("lets a handler notify a handler later in the list", () => {
    const hs = [planStep("h1", { notify: ["h2"] }), planStep("h2")];
    const run = new Run(plan([planStep("conf", { notify: ["h1"] })], { handlers: hs }));
    run.changed("conf");
    run.changed("h1");
    expect(run.running).toEqual(["h2"]);
  });

  it("runs no handlers after a cancel", () => {
    const run = new Run(
      plan([planStep("conf", { notify: ["restart-web"] }), planStep("x")], { handlers }),
    );
    run.changed("conf");
    run.cancel();
    run.ok("x");
    expect(run.settled("restart-web")).toEqual([{ status: "cancelled", reason: "run cancelled" }]);
    expect(run.finish?.outcome).toBe("cancelled");
  });
});
