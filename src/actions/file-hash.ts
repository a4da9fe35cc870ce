/**
 * Digests of bytes as they stream past: of a file (read in chunks, so memory stays
 * flat whatever its size), or of a transfer in flight (download, copy), several
 * algorithms in one pass. node:fs here reads controller files only (a copy's `src`);
 * target files are hashed through the target's TargetFs.
 */
import { type Hash, createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { TargetFs } from "../transports/fs.js";

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

/** Hex digests of a target file's bytes: sha256 plus `algos`. */
export async function hashFile(
  fs: TargetFs,
  path: string,
  algos: readonly string[] = [],
): Promise<Record<string, string>> {
  // sha256 alone is computed where the file is (no transfer of its bytes).
  if (algos.every((a) => a === "sha256")) return { sha256: await fs.sha256(path) };
  const d = new Digests(algos);
  for await (const chunk of fs.readStream(path)) d.update(chunk);
  return d.hex();
}

/** Hex sha256 of a controller file. */
export async function sha256OfLocalFile(path: string): Promise<string> {
  const d = new Digests([]);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    d.update(chunk as Buffer);
  }
  return d.hex().sha256 as string;
}
