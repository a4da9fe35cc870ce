import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeadTailCapture, utf8Prefix, utf8Start } from "./capture.js";

function capture(limit: number, chunks: (string | Buffer)[]): HeadTailCapture {
  const c = new HeadTailCapture(limit);
  for (const x of chunks) c.push(typeof x === "string" ? Buffer.from(x) : x);
  return c;
}

describe("HeadTailCapture", () => {
  it("keeps all of an output within the limit", () => {
    const c = capture(10, ["abc", "defgh", "ij"]);
    expect(c.truncated).toBe(false);
    expect(c.total).toBe(10);
    expect(c.text()).toBe("abcdefghij");
  });

  it("keeps the first and last halves of a longer one and says how much was cut", () => {
    const c = capture(10, ["0123456789", "abcdefghij", "ABCDEFGHIJ"]);
    expect(c.truncated).toBe(true);
    expect(c.total).toBe(30);
    expect(c.text()).toBe("01234\n[… 20 bytes cut …]\nFGHIJ");
  });

  it("holds at most the limit plus one chunk, whatever comes", () => {
    const c = new HeadTailCapture(1000);
    const chunk = Buffer.alloc(300, "x");
    for (let i = 0; i < 10_000; i++) c.push(chunk);
    const held = c.held().reduce((n, b) => n + b.length, 0);
    expect(held).toBeLessThanOrEqual(1000 + 300);
    expect(c.total).toBe(3_000_000);
  });

  it("never cuts a UTF-8 character in two", () => {
    // "é" is 2 bytes, "😀" 4: the head's end and the tail's start fall inside them.
    const c = capture(9, ["aé😀", "xxxxxxxxxxxxxxx", "😀éb"]);
    const text = c.text();
    expect(text).not.toContain("\uFFFD");
    expect(text.startsWith("aé\n")).toBe(true);
    expect(text.endsWith("\néb")).toBe(true);
    expect(text).toContain(`[… ${c.total - 3 - 3} bytes cut …]`);
  });

  it("keeps nothing with a limit of 0, yet counts", () => {
    const c = capture(0, ["abc"]);
    expect(c.truncated).toBe(true);
    expect(c.text()).toBe("\n[… 3 bytes cut …]\n");
  });

  it("is the head and the tail of the stream, however it is chunked", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 50 }),
        (s, limit, step) => {
          const bytes = Buffer.from(s.replace(/[^\x20-\x7e]/g, "a"));
          const c = new HeadTailCapture(limit);
          for (let i = 0; i < bytes.length; i += step) c.push(bytes.subarray(i, i + step));
          const all = bytes.toString();
          const h = Math.ceil(limit / 2);
          const t = limit - h;
          const expected =
            bytes.length <= limit
              ? all
              : `${all.slice(0, h)}\n[… ${bytes.length - limit} bytes cut …]\n${t === 0 ? "" : all.slice(-t)}`;
          expect(c.text()).toBe(expected);
        },
      ),
    );
  });
});

describe("UTF-8 boundaries", () => {
  it("finds the last whole character of a head and the first of a tail", () => {
    const b = Buffer.from("a😀");
    expect(utf8Prefix(b)).toBe(5);
    expect(utf8Prefix(b.subarray(0, 3))).toBe(1);
    expect(utf8Start(b.subarray(2))).toBe(3);
    expect(utf8Start(Buffer.from("abc"))).toBe(0);
  });
});
