/** sha256 for the plan digest and the `sources` entries. node:crypto hashes; it does no I/O. */
import { createHash } from "node:crypto";

export function sha256Hex(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}
