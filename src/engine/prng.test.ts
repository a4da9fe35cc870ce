import { describe, expect, it } from "vitest";
import { nextRandom, seedState } from "./prng.js";

describe("prng", () => {
  it("is a pure function of its state, uniform-ish in [0, 1)", () => {
    let state = seedState(42);
    const values: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const draw = nextRandom(state);
      state = draw.state;
      values.push(draw.value);
    }
    expect(nextRandom(seedState(42))).toEqual(nextRandom(seedState(42)));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it("accepts any seed", () => {
    expect(seedState(-1)).toBe(4294967295);
    expect(seedState(1.9)).toBe(1);
    expect(seedState(Number.NaN)).toBe(0);
  });
});
