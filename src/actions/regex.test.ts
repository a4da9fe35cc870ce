/** `replace` and `lineinfile` patterns run on RE2: hostile ones finish, unsupported ones say so. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "./test-context.js";

const HOSTILE = `${"a".repeat(50_000)}!\n`;

/** A fresh file holding `text`: its path. */
function fileWith(text: string): string {
  const path = join(tempDir(), "f");
  writeFileSync(path, text);
  return path;
}

describe("replace on RE2", () => {
  // Before: V8's backtracking engine never finished `(a+)+$` on this file.
  it("finishes a catastrophic-backtracking pattern in linear time", async () => {
    const path = fileWith(HOSTILE);
    const out = await run("replace", { path, regexp: "(a+)+$", replace: "b" });
    expect(out.failure).toBeNull();
    expect(out.changed).toBe(false);
  });

  it("keeps named groups, \\g<name> and $1 replacements, case-insensitive flag", async () => {
    const path = fileWith("Key=1\nkey=2\n");
    const flags = { case_insensitive: true };
    await run("replace", { path, regexp: "^(?P<k>key)=(\\d)$", replace: "\\g<k>:$2", flags });
    expect(readFileSync(path, "utf8")).toBe("Key:1\nkey:2\n");
  });

  it("refuses lookahead and backreferences in the pattern, naming RE2", async () => {
    const path = fileWith("aa\n");
    const look = await run("replace", { path, regexp: "a(?=a)", replace: "b" });
    expect(look.failure?.message).toMatch(/uses lookahead, which RE2 .* does not support/);
    const back = await run("replace", { path, regexp: "(a)\\1", replace: "b" });
    expect(back.failure?.message).toMatch(/backreferences in the pattern, which RE2/);
  });
});

describe("lineinfile on RE2", () => {
  it("matches lines with a hostile pattern quickly and refuses lookbehind", async () => {
    const path = fileWith(HOSTILE);
    const out = await run("lineinfile", { path, regexp: "^(a+)+$", line: "x" });
    expect(out.failure).toBeNull();
    expect(readFileSync(path, "utf8")).toBe(`${HOSTILE}x\n`);
    const behind = await run("lineinfile", { path, regexp: "(?<=a)!", line: "y" });
    expect(behind.failure?.message).toMatch(/lookbehind, which RE2/);
  });
});
