import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputBatcher } from "./output-batch.js";

type Batch = [string, string, number];

function batcher(maxChars = 100, delayMs = 50) {
  const out: Batch[] = [];
  const b = new OutputBatcher((stream, text, n) => out.push([stream, text, n]), maxChars, delayMs);
  return { b, out };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("OutputBatcher", () => {
  it("puts many lines in few events, flushed by size", () => {
    const { b, out } = batcher(100);
    for (let i = 0; i < 1000; i++) b.add("stdout", `line ${i}`, 1);
    b.flush();
    expect(out.length).toBeLessThan(100);
    expect(out.flatMap(([, t]) => t.split("\n"))).toEqual(
      Array.from({ length: 1000 }, (_, i) => `line ${i}`),
    );
    expect(out.reduce((n, [, , c]) => n + c, 0)).toBe(1000);
  });

  it("flushes a batch after the delay, so that live output stays live", () => {
    vi.useFakeTimers();
    const { b, out } = batcher(1000, 50);
    b.add("stdout", "a", 1);
    b.add("stdout", "b\nc", 2);
    vi.advanceTimersByTime(49);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([["stdout", "a\nb\nc", 3]]);
  });

  it("keeps the order of stdout and stderr lines", () => {
    const { b, out } = batcher();
    b.add("stdout", "1", 1);
    b.add("stdout", "2", 1);
    b.add("stderr", "e", 1);
    b.add("stdout", "3", 1);
    b.flush();
    expect(out).toEqual([
      ["stdout", "1\n2", 2],
      ["stderr", "e", 1],
      ["stdout", "3", 1],
    ]);
  });

  it("flush() sends what is pending at once and stops the timer", () => {
    vi.useFakeTimers();
    const { b, out } = batcher();
    b.add("stderr", "last", 1);
    b.flush();
    expect(out).toEqual([["stderr", "last", 1]]);
    vi.advanceTimersByTime(1000);
    b.flush();
    expect(out).toHaveLength(1);
  });
});
