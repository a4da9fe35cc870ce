/**
 * Expected digests for `download.checksum`: "<algo>:<hex>" with algo sha256, sha512,
 * sha1 or md5, or bare hex, read as sha256. The length is checked up front so that a
 * truncated paste fails as a bad argument, not as a mismatch after the download.
 */
import { ArgError } from "./args.js";

const HEX_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

export interface Digest {
  algo: string;
  hex: string;
}

export function parseChecksum(v: string | null): Digest | null {
  if (v === null) return null;
  const m = /^(?:(\w+):)?([0-9a-fA-F]+)$/.exec(v.trim());
  const algo = (m?.[1] ?? "sha256").toLowerCase();
  const hex = (m?.[2] ?? "").toLowerCase();
  if (HEX_LENGTH[algo] !== hex.length) {
    throw new ArgError(`invalid checksum ${JSON.stringify(v)}: use sha256:<64 hex digits>`);
  }
  return { algo, hex };
}
