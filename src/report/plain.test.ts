import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/events.js";
import { plainReporter } from "./plain.js";
import { ev, FakeOutput, origin, script, stripAnsi } from "./testing.js";

function run(
  events: RunEvent[],
  opts: { color?: boolean; diff?: boolean; verbose?: boolean } = {},
) {
  const out = new FakeOutput();
  const r = plainReporter(out, {
    color: opts.color ?? false,
    diff: opts.diff ?? false,
    verbose: opts.verbose ?? false,
  });
  for (const e of events) r.onEvent(e);
  r.close();
  return out.text;
}

/** Two steps running at once, their output lines interleaved. */
const INTERLEAVED = [
  ev.runStarted(2),
  ev.started("a", "Build A", 1),
  ev.started("b", "Build B", 2),
  ev.output("a", "Build A", "a1"),
  ev.output("a", "Build A", "a2"),
  ev.output("b", "Build B", "b1"),
];

describe("plainReporter", () => {
  it("prints a successful run line by line, then the summary", () => {
    const text = run(
      script([
        ev.runStarted(3),
        ev.started("s1", "Install git", 1),
        ev.output("s1", "Install git", "Reading package lists..."),
        ev.output("s1", "Install git", "warning: slow mirror", "stderr"),
        ev.completed("s1", "Install git", "changed", 1234),
        ev.started("s2", "Say hi", 2, "print"),
        ev.completed("s2", "Say hi", "ok", 2, { result: { msg: "hello\nworld" } }),
        ev.skipped("s3", "Deploy", "when: false"),
        ev.runCompleted("success", { ok: 1, changed: 1, skipped: 1 }, 1400),
      ]),
    );
    expect(text).toBe(
      [
        "Running site.yml (3 steps, run run-1)",
        "[1/3] Install git",
        "  │ Reading package lists...",
        "  │ warning: slow mirror",
        "changed  Install git (1.2s)",
        "[2/3] Say hi",
        "ok       Say hi (2ms)",
        "  » hello",
        "  » world",
        "skipped  Deploy (when: false)",
        "",
        "success: ok=1 changed=1 skipped=1 failed=0 ignored=0 blocked=0 cancelled=0 in 1.4s",
        "",
      ].join("\n"),
    );
  });

  it("repeats a step's header when another step's lines came in between", () => {
    const text = run(script([...INTERLEAVED, ev.completed("a", "Build A", "ok", 30)]));
    expect(text.split("\n").slice(1, -1)).toEqual([
      "[1/2] Build A",
      "[2/2] Build B",
      "[1/2] Build A",
      "  │ a1",
      "  │ a2",
      "[2/2] Build B",
      "  │ b1",
      "ok       Build A (30ms)",
    ]);
  });

  it("shows retries, the failure with its origin, and lists failures in the summary", () => {
    const at = origin("tasks/git.yml", 12, [{ file: "site.yml", line: 3, column: 3 }]);
    const text = run(
      script([
        ev.runStarted(2),
        ev.started("f", "Fetch", 1),
        ev.retrying("f", "Fetch", 1, 1000, "rc"),
        ev.started("f", "Fetch", 1, "shell", 2),
        ev.failed("f", "Fetch", "exit code 1", at, 2100),
        ev.skipped("d", "Deploy", "needs Fetch", "blocked"),
        ev.skipped("e", "Notify", "cancelled", "cancelled"),
        ev.runCompleted("failed", { failed: 1, blocked: 1 }, 3000),
      ]),
    );
    expect(text.split("\n")).toEqual([
      "Running site.yml (2 steps, run run-1)",
      "[1/2] Fetch",
      "retrying Fetch (attempt 2 in 1.0s: rc)",
      "[1/2] Fetch (attempt 2)",
      "FAILED   Fetch (2.1s) at tasks/git.yml:12:3: exit code 1",
      "blocked  Deploy (needs Fetch)",
      "cancelled Notify",
      "",
      "Failed steps:",
      "  Fetch at tasks/git.yml:12:3: exit code 1",
      "    included from site.yml:3:3",
      "failed: ok=0 changed=0 skipped=0 failed=1 ignored=0 blocked=1 cancelled=0 in 3.0s",
      "",
    ]);
  });

  it("shows why an ignored failure failed", () => {
    const events = script([
      ev.started("p", "Probe", 1),
      ev.completed("p", "Probe", "ignored", 40, { result: { failed: true, msg: "exit code 1" } }),
    ]);
    expect(run(events).split("\n")[1]).toBe("ignored  Probe (40ms): exit code 1");
  });

  it("prints the diff under the step only with --diff", () => {
    const events = script([
      ev.started("c", "Write config", 1, "copy"),
      ev.completed("c", "Write config", "changed", 5, { diff: "@@ -1 +1 @@\n-a\n+b\n" }),
    ]);
    expect(run(events)).not.toContain("+b");
    expect(run(events, { diff: true }).split("\n").slice(1, -1)).toEqual([
      "changed  Write config (5ms)",
      "    @@ -1 +1 @@",
      "    -a",
      "    +b",
    ]);
  });

  it("colors statuses only when color is on", () => {
    const events = script([ev.started("s", "S", 1), ev.completed("s", "S", "ok", 1)]);
    expect(run(events)).not.toContain("\x1b[");
    const colored = run(events, { color: true });
    expect(colored).toContain("\x1b[32mok");
    expect(stripAnsi(colored)).toBe(run(events));
  });

  it("makes command output safe: carriage returns, escapes, control characters", () => {
    const text = run(
      script([
        ev.output("s", "S", "10%\r50%\r100%"),
        ev.output("s", "S", "\x1b[31mred\x1b[0m\x07\r"),
      ]),
    );
    expect(text).toBe("[?] S\n  │ 100%\n  │ red\n");
  });

  it("prints every line of a batch behind the gutter, cleaning each", () => {
    const text = run(
      script([
        ev.output("s", "S", "one\ntwo\nthree"),
        ev.output("s", "S", "bad\x1b[31m\nok\r\n50%\r100%", "stderr"),
      ]),
    );
    expect(text).toBe("[?] S\n  │ one\n  │ two\n  │ three\n  │ bad\n  │ ok\n  │ 100%\n");
  });

  it("prints the same text through an output that takes bytes", () => {
    const events = script([
      ...INTERLEAVED,
      ev.output("a", "Build A", "one\ntwo é"),
      ev.output("b", "Build B", "b2\x1b[1m"),
      ev.output("a", "Build A", "err", "stderr"),
      ev.output("a", "Build A", "three"),
    ]);
    for (const color of [false, true]) {
      const out = new FakeOutput();
      let bytes = 0;
      const withBytes = Object.assign(out, {
        writeBytes(b: Uint8Array) {
          bytes++;
          out.text += Buffer.from(b).toString();
        },
      });
      const r = plainReporter(withBytes, { color, diff: false });
      for (const e of events) r.onEvent(e);
      r.close();
      expect(out.text).toBe(run(events, { color }));
      // Not the batch with an escape, nor stderr: those are cleaned line by line.
      expect(bytes).toBe(5);
    }
  });

  it("prints a warning message on its own line, and still shows a print step's message", () => {
    const events = script([
      ev.started("p", "Show", 1, "print"),
      {
        type: "step.message",
        level: "warning",
        message: "site.yml:3:3: warning: 'r' holds only the head and tail",
        step_id: "p",
        name: "Show",
        attempt: 1,
      },
      ev.completed("p", "Show", "ok", 1, { result: { msg: "hello" } }),
    ]);
    expect(run(events).split("\n").slice(1, -1)).toEqual([
      "site.yml:3:3: warning: 'r' holds only the head and tail",
      "ok       Show (1ms)",
      "  » hello",
    ]);
  });

  it("prints plan and handler lines only when verbose", () => {
    const events = script([
      { type: "plan.loaded", digest: "abc123", steps: 4, handlers: 1 },
      {
        type: "handler.notified",
        handler_id: "restart",
        handler: "restart app",
        step_id: "s",
        name: "write config",
        attempt: 1,
      },
    ]);
    expect(run(events)).toBe("");
    expect(run(events, { verbose: true })).toBe(
      "plan abc123: 4 steps, 1 handler\nnotify   handler restart app (by write config)\n",
    );
  });

  it("never throws on malformed events or events out of order", () => {
    const out = new FakeOutput();
    const r = plainReporter(out, { color: true, diff: true });
    const odd = [
      { type: "step.completed", step_id: "x", name: "X", status: "weird" },
      { type: "step.failed", step_id: "y", name: "Y", status: "failed", error: "boom" },
      { type: "nonsense" },
      null,
    ] as unknown as RunEvent[];
    expect(() => {
      for (const e of odd) r.onEvent(e);
      r.close();
      r.close();
    }).not.toThrow();
    expect(stripAnsi(out.text)).toContain("weird    X");
  });
});
