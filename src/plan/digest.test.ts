/** The digest of a long string is hashed in chunks: the same digest as one update gives. */
import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./digest.js";

const whole = (s: string) => createHash("sha256").update(s).digest("hex");

describe("sha256Hex", () => {
  // Surrogate pairs, lone halves of them, and characters of 1, 2 and 3 UTF-8 bytes.
  const unit = fc.constantFrom("a", "é", "€", "😀", "\ud83d", "\ude00", "\n", '"');
  test.prop([
    fc.array(unit, { maxLength: 40 }).map((a) => a.join("")),
    fc.integer({ min: 1, max: 9 }),
  ])("hashes a string in chunks to the digest of its UTF-8 bytes", (text, chunk) => {
    expect(sha256Hex(text, chunk)).toBe(whole(text));
  });

  it("hashes a plan-sized string as one update does", () => {
    const text = `${"x😀".repeat(70_000)}\ud83d`;
    expect(sha256Hex(text)).toBe(whole(text));
    expect(sha256Hex(new TextEncoder().encode(text))).toBe(whole(text));
  });
});
