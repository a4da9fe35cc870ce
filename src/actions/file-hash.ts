/**
 * Digests of bytes as they stream past: of a file on disk (read in chunks, so memory
 * stays flat whatever its size), or of a transfer in flight (download, copy), several
 * algorithms in one pass.
 */
import { type Hash, createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export class Digests {
  private readonly hashes: Map<string, Hash>;
  size = 0;

  constructor(algos: readonly string[]) {
    this.hashes = new Map([...new Set(["sha256", ...algos])].map((a) => [a, createHash(a)]));
  }

  update(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    for (const h of this.hashes.values()) h.update(chunk);
  }

  /** Hex digest per algorithm; sha256 is always among them. Call once, at the end. */
  hex(): Record<string, string> {
    return Object.fromEntries([...this.hashes].map(([a, h]) => [a, h.digest("hex")]));
  }
}

/** Hex digests of a file's bytes: sha256 plus `algos`. */
export async function hashFile(
  path: string,
  algos: readonly string[] = [],
): Promise<Record<string, string>> {
  const d = new Digests(algos);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    d.update(chunk as Buffer);
  }
  return d.hex();
}

export async function sha256OfFile(path: string): Promise<string> {
  return (await hashFile(path)).sha256 as string;
}
