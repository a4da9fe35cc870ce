import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it, onTestFinished } from "vitest";
import { diffLines, unifiedDiff } from "./diff.js";

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\n", "a\n", "f", "f")).toBe("");
  });

  it("prints headers, hunks with 3 lines of context", () => {
    const old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    const neu = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
    expect(unifiedDiff(old, neu, "p", "p")).toBe(
      [
        "--- p",
        "+++ p",
        "@@ -2,7 +2,7 @@",
        " 2",
        " 3",
        " 4",
        "-5",
        "+five",
        " 6",
        " 7",
        " 8",
        "",
      ].join("\n"),
    );
  });

  it("diffs a new file against nothing", () => {
    expect(unifiedDiff("", "a\nb\n", "x", "x")).toBe("--- x\n+++ x\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  });

  it("marks a missing final newline", () => {
    expect(unifiedDiff("a\n", "a", "x", "x")).toBe(
      "--- x\n+++ x\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n",
    );
  });

  it("agrees with diff -u on a larger case", () => {
    const old = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const neu = old
      .replace("line 3\n", "")
      .replace("line 20\n", "line 20\nnew\n")
      .replace("line 29", "end");
    const dir = mkdtempSync(join(tmpdir(), "cairn-diff-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "a"), old);
    writeFileSync(join(dir, "b"), neu);
    let expected = "";
    try {
      execFileSync("diff", ["-u", join(dir, "a"), join(dir, "b")], { encoding: "utf8" });
    } catch (e) {
      expected = (e as { stdout: string }).stdout;
    }
    const body = (s: string) => s.split("\n").slice(2).join("\n");
    expect(expected).not.toBe("");
    expect(body(unifiedDiff(old, neu, "a", "b"))).toBe(body(expected));
  });

  // Invariant: dropping '+' ops gives the old lines, dropping '-' ops gives the new ones.
  test.prop([fc.array(fc.constantFrom("a", "b", "c")), fc.array(fc.constantFrom("a", "b", "c"))])(
    "edit script rebuilds both sides",
    (a, b) => {
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.kind !== "+").map((o) => o.line)).toEqual(a);
      expect(ops.filter((o) => o.kind !== "-").map((o) => o.line)).toEqual(b);
    },
  );
});
