import { readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../test-context.js";
import { readArchive } from "./read.js";
import { type Format, makeArchive } from "./test-archives.js";

describe("readArchive", () => {
  it.each(["tar", "tgz", "zip"] as const)(
    "tells %s by its content, not its name",
    (fmt: Format) => {
      const dir = tempDir();
      const path = makeArchive(dir, "a", fmt, [
        { kind: "file", name: "f", data: "x", mode: 0o600 },
      ]);
      renameSync(path, join(dir, "misnamed.txt"));
      const r = readArchive(readFileSync(join(dir, "misnamed.txt")));
      expect(r).toEqual({
        ok: true,
        value: [{ kind: "file", name: "f", mode: 0o600, data: Buffer.from("x") }],
      });
    },
  );

  it("refuses other formats", () => {
    expect(readArchive(Buffer.from("just text"))).toEqual({
      ok: false,
      error: "unsupported archive format (expected .tar, .tar.gz/.tgz or .zip)",
    });
    expect(readArchive(Buffer.from([0x1f, 0x8b, 0, 0]))).toEqual({
      ok: false,
      error: "corrupt gzip data",
    });
  });
});
