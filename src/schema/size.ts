/**
 * Sizes as playbooks and flags write them: a number of bytes (`65536`), or a number with
 * a unit as coreutils reads them: `K`/`KiB` = 1024, `M`/`MiB`, `G`/`GiB`, `T`/`TiB`; `KB`/`MB`/`GB`/`TB`
 * are powers of 1000; `B` is bytes. `parseSize` returns bytes.
 */

// No `i` flag: the JSON Schema carries the pattern, and JSON Schema patterns have no flags.
export const SIZE_PATTERN = /^\s*\d+(?:\.\d+)?\s*(?:[KMGTkmgt](?:i?B)?|B)?\s*$/;

const UNIT_BYTES: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
};

/** Bytes (whole), or null when `v` is not a size. */
export function parseSize(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  if (typeof v !== "string" || !SIZE_PATTERN.test(v)) return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  const unit = UNIT_BYTES[(m?.[2] ?? "").toLowerCase()];
  if (m === null || unit === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}
