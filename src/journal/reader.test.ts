import { describe, expect, it } from "vitest";
import { parseJournal } from "./reader.js";

const record = (seq: number) => JSON.stringify({ seq, rec: "init", commands: [] });
const journal = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `${record(i + 1)}\n`).join(""));

describe("reading a journal back", () => {
  it("ignores a torn last record cut at every byte offset of the last two records", () => {
    const whole = journal(5);
    const text = whole.toString();
    const startOf4 = text.indexOf(record(4));
    for (let at = startOf4; at < whole.length; at++) {
      const r = parseJournal(whole.subarray(0, at));
      expect(r.ok, `cut at ${at}`).toBe(true);
      if (!r.ok) continue;
      // Whole records survive; the partial one is dropped and the good length named.
      const complete = text.slice(0, at).split("\n").length - 1;
      expect(r.records.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5].slice(0, complete));
      expect(r.goodBytes).toBe(text.slice(0, at).lastIndexOf("\n") + 1);
    }
  });

  it("ignores NUL bytes a crash left after the last record", () => {
    const r = parseJournal(Buffer.concat([journal(2), Buffer.alloc(64)]));
    expect(r).toMatchObject({ ok: true, torn: true, goodBytes: journal(2).length });
  });

  it("treats a bad record before the last, or a gap in seq, as corruption naming the line", () => {
    const bad = Buffer.from(`${record(1)}\n{oops\n${record(3)}\n`);
    expect(parseJournal(bad)).toMatchObject({ ok: false, line: 2 });
    const gap = Buffer.from(`${record(1)}\n${record(3)}\n`);
    expect(parseJournal(gap)).toMatchObject({
      ok: false,
      line: 2,
      message: expect.stringContaining("missing"),
    });
  });

  it("refuses a journal of a newer format", () => {
    const newer = Buffer.from(`${JSON.stringify({ seq: 1, rec: "open", format: 99 })}\n`);
    expect(parseJournal(newer)).toMatchObject({
      ok: false,
      message: expect.stringContaining("newer"),
    });
  });
});
