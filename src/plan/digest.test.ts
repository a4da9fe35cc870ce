/**
 * Digests hashed in chunks, and of a record's JSON without building it, are the digests
 * of the whole text.
 */
import { createHash } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { jsonDigest, sha256Hex } from "./digest.js";

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

  // Values JSON.stringify leaves out (undefined, functions) or writes as null in a list.
  const odd = fc.constantFrom(undefined, () => 1, Number.NaN, "😀\ud83d");
  const value = fc.oneof(fc.jsonValue(), odd, fc.array(fc.oneof(fc.jsonValue(), odd)));
  test.prop([fc.dictionary(fc.string(), value), fc.integer({ min: 1, max: 64 })])(
    "hashes a record to the digest of JSON.stringify of it",
    (record, chunk) => {
      expect(jsonDigest(record, chunk)).toBe(whole(JSON.stringify(record)));
    },
  );

  it("writes a list's holes and left-out elements as null, as JSON does", () => {
    const steps: unknown[] = [1];
    steps[2] = undefined; // [1] is a hole
    steps.push(() => 2, { a: undefined });
    const record = { steps, gone: undefined };
    expect(jsonDigest(record)).toBe(whole('{"steps":[1,null,null,null,{}]}'));
    expect(jsonDigest({})).toBe(whole("{}"));
  });
});
