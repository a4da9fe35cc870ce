import { describe, expect, it } from "vitest";
import { cleanLine, formatDuration, painter, statusLabel, truncate } from "./format.js";

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [350, "350ms"],
    [999, "999ms"],
    [1000, "1.0s"],
    [1234, "1.2s"],
    [59_940, "59.9s"],
    [59_960, "1m00s"],
    [123_000, "2m03s"],
    [3_599_400, "59m59s"],
    [3_720_000, "1h02m"],
    [-5, "0ms"],
    [Number.NaN, "0ms"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("statusLabel", () => {
  it("pads to the status column and colors only with color on", () => {
    expect(statusLabel("ok", painter(false))).toBe("ok       ");
    expect(statusLabel("failed", painter(false))).toBe("FAILED   ");
    expect(statusLabel("compensated", painter(false))).toBe("compensated ");
    expect(statusLabel("ok", painter(true))).toBe("\x1b[32mok       \x1b[39m");
  });
});

describe("cleanLine", () => {
  it("keeps what a terminal would show and drops escapes and controls", () => {
    expect(cleanLine("a\tb")).toBe("a\tb");
    expect(cleanLine("line\r")).toBe("line");
    expect(cleanLine("1%\r2%\r3%")).toBe("3%");
    expect(cleanLine("\x1b[1;31mbold\x1b[0m \x1b]0;title\x07x\x1b[2K\x00")).toBe("bold x");
  });
});

describe("truncate", () => {
  it("cuts with an ellipsis", () => {
    expect(truncate("abcdef", 6)).toBe("abcdef");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abcdef", 0)).toBe("");
  });
});
