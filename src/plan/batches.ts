/**
 * `serial` (SPEC §1.6): the hosts of a play split into rolling batches, as Ansible
 * splits them. A size is a host count or a percentage of all hosts (rounded down, at
 * least one); a list gives the first batches' sizes and its last size repeats until
 * every host has a batch.
 */

/** One batch size as written: `2`, or `"25%"`. */
export type BatchSize = number | string;

export function batchesOf(
  hosts: readonly string[],
  serial: BatchSize | readonly BatchSize[] | null,
): string[][] {
  if (hosts.length === 0) return [];
  if (serial === null) return [[...hosts]];
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s) =>
    sizeOf(s as BatchSize, hosts.length),
  );
  if (sizes.length === 0) return [[...hosts]];
  const out: string[][] = [];
  let at = 0;
  for (let i = 0; at < hosts.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    out.push(hosts.slice(at, at + size));
    at += size;
  }
  return out;
}

function sizeOf(size: BatchSize, total: number): number {
  if (typeof size === "number") return Math.max(1, Math.floor(size));
  const pct = Number.parseFloat(size);
  return Math.max(1, Math.floor((total * pct) / 100));
}
