import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "./lines.js";

/** Feeds `chunks` and returns the blocks (text, count) and the lines they hold. */
function split(chunks: (string | Buffer)[], maxLine?: number) {
  const blocks: [string, number][] = [];
  const s = new LineSplitter((text, n) => blocks.push([text, n]), maxLine);
  for (const c of chunks) s.push(typeof c === "string" ? Buffer.from(c) : c);
  s.end();
  return { blocks, lines: blocks.flatMap(([t]) => t.split("\n")) };
}

describe("LineSplitter", () => {
  it("passes the whole lines of a chunk as one block, with their count", () => {
    expect(split(["a\nb\nc\npart", "ial\nlast"]).blocks).toEqual([
      ["a\nb\nc", 3],
      ["partial", 1],
      ["last", 1],
    ]);
  });

  it("drops the \\r of CRLF line ends, not a lone \\r inside a line", () => {
    expect(split(["one\r\ntwo\r", "\n10%\r50%\r\n"]).lines).toEqual(["one", "two", "10%\r50%"]);
  });

  it("decodes a multi-byte character split across chunks", () => {
    const bytes = Buffer.from("é€😀\n");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(split(chunks).lines).toEqual(["é€😀"]);
  });

  it("cuts a line with no newline into bounded pieces as it comes", () => {
    const blocks: string[] = [];
    const s = new LineSplitter((text) => blocks.push(text), 10);
    for (let i = 0; i < 5; i++) s.push(Buffer.from("abcdefg"));
    // 35 characters seen: 30 passed on in pieces of 10 before the end, 5 still held.
    const text = "abcdefg".repeat(5);
    expect(blocks).toEqual([text.slice(0, 10), text.slice(10, 20), text.slice(20, 30)]);
    s.end();
    expect(blocks.at(-1)).toBe(text.slice(30));
    expect(blocks.join("")).toBe("abcdefg".repeat(5));
  });

  it("cuts a long line inside a block too", () => {
    expect(split([`x\n${"y".repeat(25)}\nz\n`], 10).blocks).toEqual([
      ["x", 1],
      ["yyyyyyyyyy", 1],
      ["yyyyyyyyyy", 1],
      ["yyyyy", 1],
      ["z", 1],
    ]);
  });

  it("gives back exactly the text's lines, however it is chunked", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "\n", "é", "😀", "\r\n"), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (parts, cuts) => {
          const text = parts.join("");
          const bytes = Buffer.from(text);
          const chunks: Buffer[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const n = cuts[i % cuts.length]!;
            chunks.push(bytes.subarray(at, at + n));
            at += n;
          }
          const { blocks, lines } = split(chunks);
          const expected =
            text === "" ? [] : text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
          expect(lines).toEqual(expected);
          expect(blocks.reduce((n, [, c]) => n + c, 0)).toBe(expected.length);
        },
      ),
    );
  });
});
