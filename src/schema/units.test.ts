import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";
import { numericMode } from "./mode.js";
import { parseSize } from "./size.js";
import { closest, didYouMean, editDistance } from "./suggest.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1.5s", 1500],
    ["2d", 172_800_000],
    ["10", 10_000],
    [" 3s ", 3000],
    [30, 30_000],
    [0.25, 250],
  ] as const)("%s → %d ms", (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(["", "abc", "5 m", "-3s", "1x", "s", "{{ t }}"])("rejects %j", (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  it("rejects non-finite and negative numbers and other types", () => {
    expect(parseDuration(-1)).toBeNull();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseDuration(true)).toBeNull();
    expect(parseDuration(null)).toBeNull();
  });
});

describe("numericMode", () => {
  it("reads the digits of a plain number as octal", () => {
    expect(numericMode(644, "0644")).toBe("0644");
    expect(numericMode(755, "755")).toBe("0755");
    expect(numericMode(4755, undefined)).toBe("4755");
  });

  it("keeps the value of an explicit 0o number", () => {
    expect(numericMode(0o644, "0o644")).toBe("0644");
  });

  it("refuses digits 8 and 9 and negative numbers", () => {
    expect(numericMode(689, "0689")).toBeNull();
    expect(numericMode(-1, "-1")).toBeNull();
  });
});

describe("suggestions", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("comamnd", "command")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests close names and prefixes, nothing for far ones", () => {
    const known = ["command", "shell", "when", "with_items", "become_user", "name"];
    expect(didYouMean("comand", known)).toBe("did you mean 'command'?");
    expect(closest("with_item", known)).toBe("with_items");
    expect(closest("become_u", known)).toBe("become_user");
    expect(closest("WHEN", known)).toBe("when");
    expect(didYouMean("zzzzzz", known)).toBeNull();
    expect(closest("xy", known)).toBeNull();
  });
});

describe("parseSize", () => {
  it.each([
    [65536, 65536],
    ["65536", 65536],
    ["512KiB", 512 * 1024],
    ["512K", 512 * 1024],
    ["1MiB", 1024 ** 2],
    ["1.5M", 1.5 * 1024 ** 2],
    ["1GiB", 1024 ** 3],
    ["64KB", 64_000],
    ["1 MB", 1_000_000],
    ["10B", 10],
    ["2k", 2048],
    ["0", 0],
  ] as const)("%j → %d bytes", (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each(["", "abc", "-1K", "1PB", "1KiBs", "1mb", "{{ n }}", -5, Number.NaN, true])(
    "rejects %j",
    (input) => {
      expect(parseSize(input)).toBeNull();
    },
  );
});
