import { describe, expect, it } from "vitest";
import { formatSummary, type RunCompletedEvent, type StepFailedEvent } from "./summary.js";
import { ev, origin, script, stripAnsi } from "./testing.js";

const [completed] = script([ev.runCompleted("success", { ok: 3, changed: 2, skipped: 1 }, 1400)]);
const success = completed as RunCompletedEvent;

describe("formatSummary", () => {
  it("prints the outcome and every count", () => {
    expect(formatSummary(success, [], { color: false })).toBe(
      "success: ok=3 changed=2 skipped=1 failed=0 ignored=0 blocked=0 cancelled=0 in 1.4s\n",
    );
  });

  it("marks a dry run and counts compensated steps only when there are some", () => {
    const run = { ...success, stats: { ...success.stats, compensated: 2 } };
    expect(formatSummary(run, [], { color: false, dryRun: true })).toBe(
      "success (dry run): ok=3 changed=2 skipped=1 failed=0 ignored=0 blocked=0 cancelled=0" +
        " compensated=2 in 1.4s\n",
    );
  });

  it("calls failures of a successful run rescued, and counts them", () => {
    const [failed] = script([ev.failed("f", "Try", "exit code 1", origin("site.yml", 4, []), 9)]);
    const run = { ...success, stats: { ...success.stats, failed: 1, rescued: 1 } };
    const text = formatSummary(run, [failed as StepFailedEvent], { color: false });
    expect(text.split("\n")).toEqual([
      "Rescued failures:",
      "  Try at site.yml:4:3: exit code 1",
      "success: ok=3 changed=2 skipped=1 failed=1 ignored=0 blocked=0 cancelled=0 rescued=1 in 1.4s",
      "",
    ]);
  });

  it("lists failed steps with origin, include chain and every line of the error", () => {
    const chain = [
      { file: "site.yml", line: 3, column: 3 },
      { file: "tasks/main.yml", line: 7, column: 5 },
    ];
    const [failed] = script([
      ev.failed(
        "f",
        "Fetch",
        "exit code 1\nfatal: no route",
        origin("tasks/git.yml", 12, chain),
        9,
      ),
    ]);
    const run = { ...success, outcome: "failed" as const };
    const text = formatSummary(run, [failed as StepFailedEvent], { color: true });
    expect(stripAnsi(text).split("\n")).toEqual([
      "Failed steps:",
      "  Fetch at tasks/git.yml:12:3: exit code 1",
      "    fatal: no route",
      "    included from tasks/main.yml:7:5, site.yml:3:3",
      "failed: ok=3 changed=2 skipped=1 failed=0 ignored=0 blocked=0 cancelled=0 in 1.4s",
      "",
    ]);
    expect(text).toContain("\x1b[31m");
  });
});
