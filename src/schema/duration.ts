/**
 * Durations as playbooks write them: `30s`, `5m`, `1h`, `500ms`, `1m30s`, `2d`, or a bare
 * number of seconds (`30`, `"1.5"`). `parseDuration` returns milliseconds.
 */

/** One or more `<number><unit>` parts, or a bare number of seconds. Used by the schema too. */
export const DURATION_PATTERN = /^\s*(?:(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+|\d+(?:\.\d+)?)\s*$/;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Milliseconds, or null when `v` is not a duration. */
export function parseDuration(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : null;
  if (typeof v !== "string" || !DURATION_PATTERN.test(v)) return null;
  const text = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * (UNIT_MS[unit ?? "s"] ?? 1000);
  }
  return Math.round(total);
}
