/**
 * The seeded PRNG behind retry jitter (mulberry32). Its whole state is one 32-bit
 * number kept inside the engine state, so a run replayed from the same seed draws
 * the same numbers in the same order: no ambient randomness, ever.
 */

export interface Draw {
  /** Uniform in [0, 1). */
  value: number;
  /** The generator state after this draw. */
  state: number;
}

/** Draws the next number from `state`; pure. */
export function nextRandom(state: number): Draw {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: next };
}

/** Turns any number (the user's `seed`) into a valid generator state. */
export function seedState(seed: number): number {
  return Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
}
