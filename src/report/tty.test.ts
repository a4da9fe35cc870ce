import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "../model/events.js";
import { ttyReporter } from "./tty.js";
import { ev, FakeOutput, origin, script, stripAnsi, T0 } from "./testing.js";

/**
 * What a terminal shows after `text`: applies the cursor moves and erases log-update uses.
 * The cursor rests on the empty row after the last line written.
 */
function screen(text: string): string[] {
  const rows: string[] = [""];
  let row = 0;
  let col = 0;
  const put = (s: string) => {
    const line = (rows[row] ?? "").padEnd(col);
    rows[row] = line.slice(0, col) + s + line.slice(col + s.length);
    col += s.length;
  };
  const tokens = text.match(/\x1b\[[0-?]*[ -/]*[@-~]|\n|[^\x1b\n]+/g) ?? [];
  for (const t of tokens) {
    if (t === "\n") {
      row++;
      col = 0;
      rows[row] ??= "";
    } else if (t.startsWith("\x1b[")) {
      const n = Number.parseInt(t.slice(2), 10) || 1;
      const cmd = t.at(-1);
      if (cmd === "A") row = Math.max(0, row - n);
      else if (cmd === "B") row += n;
      else if (cmd === "G") col = 0;
      else if (cmd === "K") rows[row] = t === "\x1b[2K" ? "" : (rows[row] ?? "").slice(0, col);
    } else {
      put(t);
    }
  }
  return rows.map((r) => r.trimEnd());
}

const at = origin("tasks/git.yml", 12);
const events = script([
  ev.runStarted(3),
  ev.started("a", "Install git", 1),
  ev.started("b", "Fetch repo", 2),
  ev.output("a", "Install git", "Reading package lists..."),
  ev.completed("a", "Install git", "changed", 1200),
  ev.skipped("c", "Deploy", "when: false"),
  ev.failed("b", "Fetch repo", "exit code 1", at, 2100),
  ev.runCompleted("failed", { changed: 1, skipped: 1, failed: 1 }, 3000),
]);

describe("ttyReporter", () => {
  let exitListeners = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    exitListeners = process.listenerCount("exit");
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(now: () => number = () => T0) {
    const out = new FakeOutput(true, 60);
    return { out, r: ttyReporter(out, { color: true, diff: false, now }) };
  }

  it("shows progress and the running steps with their elapsed time", () => {
    const { out, r } = start(() => T0 + 4200);
    for (const e of events.slice(0, 4)) r.onEvent(e);
    vi.advanceTimersByTime(100);
    const shown = screen(out.text);
    expect(shown.slice(-5)).toEqual([
      "  │ Reading package lists...",
      "⠴ [0/3] 2 running · 4.2s",
      "  Install git 4.1s",
      "  Fetch repo 4.0s",
      "",
    ]);
    r.close();
  });

  it("redraws the clocks every 100 ms until close() stops the timer", () => {
    let now = T0;
    const { out, r } = start(() => now);
    for (const e of events.slice(0, 2)) r.onEvent(e);
    expect(vi.getTimerCount()).toBe(1);
    now += 1500;
    vi.advanceTimersByTime(100);
    expect(screen(out.text).at(-2)).toBe("  Install git 1.4s");
    r.close();
    expect(vi.getTimerCount()).toBe(0);
    const written = out.text;
    vi.advanceTimersByTime(1000);
    expect(out.text).toBe(written);
    expect(process.listenerCount("exit")).toBe(exitListeners);
  });

  it("leaves the settled steps and the summary on screen, and no live area", () => {
    const { out, r } = start();
    for (const e of events) r.onEvent(e);
    expect(vi.getTimerCount()).toBe(0);
    r.close();
    expect(screen(out.text)).toEqual([
      "Running site.yml (3 steps, run run-1)",
      "[1/3] Install git",
      "  │ Reading package lists...",
      "changed  Install git (1.2s)",
      "skipped  Deploy (when: false)",
      "FAILED   Fetch repo (2.1s) at tasks/git.yml:12:3: exit code 1",
      "",
      "Failed steps:",
      "  Fetch repo at tasks/git.yml:12:3: exit code 1",
      "failed: ok=0 changed=1 skipped=1 failed=1 ignored=0 blocked=0 cancelled=0 in 3.0s",
      "",
    ]);
    expect(stripAnsi(out.text)).toContain("changed  Install git (1.2s)\n");
    expect(out.text.endsWith("\x1b[?25h\x1b[?2026l")).toBe(true);
  });

  it("draws a burst of events as one frame, in one write", () => {
    const { out, r } = start();
    for (const e of events.slice(0, 2)) r.onEvent(e);
    expect(out.writes).toBe(1);
    for (let i = 0; i < 1000; i++) r.onEvent(events[3]!);
    expect(out.writes).toBe(1);
    vi.advanceTimersByTime(100);
    expect(out.writes).toBe(2);
    expect(stripAnsi(out.text).split("Reading package lists...").length).toBe(1001);
    r.close();
  });

  it("draws a burst of output at once when it grows large, holding little", () => {
    const { out, r } = start();
    for (const e of events.slice(0, 2)) r.onEvent(e);
    const batch = script([
      ev.output("a", "Install git", "x".repeat(99).concat("\n").repeat(1000)),
    ])[0]!;
    r.onEvent(batch);
    r.onEvent(batch);
    r.onEvent(batch);
    // No time passed: only the size made these frames.
    expect(out.writes).toBe(2);
    r.onEvent(batch);
    r.onEvent(batch);
    r.onEvent(batch);
    expect(out.writes).toBe(3);
    r.close();
  });

  it("lists at most eight running steps and counts the rest", () => {
    const { out, r } = start();
    const many: RunEvent[] = script([
      ev.runStarted(10),
      ...Array.from({ length: 10 }, (_, i) => ev.started(`s${i}`, `Step ${i}`, i + 1)),
    ]);
    for (const e of many) r.onEvent(e);
    vi.advanceTimersByTime(100);
    const shown = screen(out.text);
    expect(shown.slice(-3)).toEqual(["  Step 7 0ms", "  … and 2 more", ""]);
    r.close();
  });

  it("never throws on events out of order and survives close() twice", () => {
    const { r } = start();
    expect(() => {
      r.onEvent(events[4]!);
      r.onEvent(events[1]!);
      r.close();
      r.close();
      r.onEvent(events[2]!);
    }).not.toThrow();
    expect(vi.getTimerCount()).toBe(0);
  });
});
