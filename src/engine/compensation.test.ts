import { describe, expect, it } from "vitest";
import { options, plan, planStep } from "./test-plan.js";
import { Run } from "./test-run.js";

/** create-db → create-user → deploy, each undone by its own compensation step. */
const saga = () =>
  plan([
    planStep("create-db", { compensate: ["drop-db"] }),
    planStep("create-user", { needs: ["create-db"], compensate: ["drop-user"] }),
    planStep("deploy", { needs: ["create-user"] }),
    planStep("drop-db"),
    planStep("drop-user"),
  ]);

describe("compensation", () => {
  it("never runs compensation steps in the normal flow, and skips them when the run succeeds", () => {
    const run = new Run(saga(), options({ compensate: true }));
    expect(run.starts).toEqual(["create-db"]);
    run.ok("create-db");
    run.ok("create-user");
    run.ok("deploy");
    expect(run.settled("drop-db")).toEqual([
      { status: "skipped", reason: "no compensation needed" },
    ]);
    expect(run.finish?.outcome).toBe("success");
  });

  it("undoes completed steps in reverse completion order, one at a time, after a failure", () => {
    const run = new Run(saga(), options({ compensate: true, jobs: 4 }));
    run.ok("create-db");
    run.changed("create-user");
    run.fail("deploy");
    expect(run.running).toEqual(["drop-user"]);
    expect(run.ok("drop-user")).toEqual([
      { type: "Settled", stepId: "drop-user", status: "ok", reason: null },
      {
        type: "Settled",
        stepId: "create-user",
        status: "compensated",
        reason: "compensated by drop-user",
      },
      { type: "Start", stepId: "drop-db", attempt: 1 },
    ]);
    run.ok("drop-db");
    expect(run.settled("create-db").map((s) => s.status)).toEqual(["ok", "compensated"]);
    expect(run.finish?.outcome).toBe("failed");
    expect(run.finish?.stats).toMatchObject({ ok: 2, changed: 0, failed: 1, compensated: 2 });
  });

  it("follows on_failure: compensate in the plan", () => {
    const run = new Run({ ...saga(), on_failure: "compensate" });
    run.ok("create-db");
    run.fail("create-user");
    expect(run.running).toEqual(["drop-db"]);
  });

  it("keeps the original status when its compensation fails, and goes on with the rest", () => {
    const run = new Run(saga(), options({ compensate: true }));
    run.ok("create-db");
    run.ok("create-user");
    run.fail("deploy");
    run.fail("drop-user");
    expect(run.settled("create-user")).toEqual([{ status: "ok", reason: null }]);
    run.ok("drop-db");
    expect(run.settled("create-db").at(-1)?.status).toBe("compensated");
  });

  it("does not compensate when compensation is off", () => {
    const run = new Run(saga());
    run.ok("create-db");
    run.fail("create-user");
    expect(run.settled("drop-db")).toEqual([
      { status: "skipped", reason: "compensation not enabled" },
    ]);
    expect(run.finish?.outcome).toBe("failed");
  });

  it("runs handlers before compensation", () => {
    const p = plan(
      [
        planStep("create-db", { compensate: ["drop-db"], notify: ["h"] }),
        planStep("deploy", { needs: ["create-db"] }),
        planStep("drop-db"),
      ],
      { handlers: [planStep("h")] },
    );
    const run = new Run(p, options({ compensate: true }));
    run.changed("create-db");
    run.fail("deploy");
    run.ok("h");
    run.ok("drop-db");
    expect(run.starts).toEqual(["create-db", "deploy", "h", "drop-db"]);
  });
});
