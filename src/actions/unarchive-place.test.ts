import { describe, expect, it } from "vitest";
import type { ArchiveEntry } from "./archive/entry.js";
import { placeEntries } from "./unarchive-place.js";

const file = (name: string, data = ""): ArchiveEntry => ({
  kind: "file",
  name,
  mode: 0o644,
  data: Buffer.from(data),
});
const link = (name: string, target: string): ArchiveEntry => ({ kind: "symlink", name, target });
const dir = (name: string): ArchiveEntry => ({ kind: "dir", name, mode: 0o755 });

function rels(entries: ArchiveEntry[], strip = 0): string[] {
  const r = placeEntries(entries, strip);
  if (!r.ok) throw new Error(r.error);
  return r.value.map((p) => p.rel);
}

function refusal(entries: ArchiveEntry[], strip = 0): string | null {
  const r = placeEntries(entries, strip);
  return r.ok ? null : r.error;
}

describe("placeEntries", () => {
  it("strips leading components as GNU tar does, '.' included, dropping what is used up", () => {
    const entries = [dir("./"), dir("./top/"), file("./top/a"), file("./top/sub//b")];
    expect(rels(entries)).toEqual(["top", "top/a", "top/sub/b"]);
    expect(rels(entries, 1)).toEqual(["top", "top/a", "top/sub/b"]);
    expect(rels(entries, 2)).toEqual(["a", "sub/b"]);
    expect(rels(entries, 4)).toEqual([]);
  });

  it("keeps the last of duplicate entries at the first one's place", () => {
    const r = placeEntries([file("a", "1"), file("b"), file("a", "2")], 0);
    expect(
      r.ok && r.value.map((p) => [p.rel, p.entry.kind === "file" && String(p.entry.data)]),
    ).toEqual([
      ["a", "2"],
      ["b", ""],
    ]);
  });

  it("allows '..' that stays inside and symlinks that point inside", () => {
    expect(rels([file("a/../b"), link("top/l", "../b"), link("self", ".")])).toEqual([
      "b",
      "top/l",
      "self",
    ]);
  });

  it.each([
    ["an absolute name", [file("/etc/passwd")], 0, "refusing entry outside dest: /etc/passwd"],
    ["a climbing name", [file("a/../../evil")], 0, "refusing entry outside dest: a/../../evil"],
    [
      "a name that climbs once stripped",
      [file("x/../y")],
      1,
      "refusing entry outside dest: x/../y",
    ],
    [
      "an absolute link",
      [link("l", "/etc")],
      0,
      "refusing symlink pointing outside dest: l -> /etc",
    ],
    [
      "a climbing link",
      [link("a/l", "../../x")],
      0,
      "refusing symlink pointing outside dest: a/l -> ../../x",
    ],
    [
      "a path through an archive symlink",
      [link("l", "."), link("l/up", "..")],
      0,
      "refusing entry through a symlink in the archive: l/up",
    ],
    [
      "a file through an archive symlink",
      [link("l", "sub"), file("l/f")],
      0,
      "refusing entry through a symlink in the archive: l/f",
    ],
    [
      "a file below a file",
      [file("f"), file("f/g")],
      0,
      "refusing entry below a file in the archive: f/g",
    ],
  ] as const)("refuses %s", (_what, entries, strip, message) => {
    expect(refusal([...entries], strip)).toBe(message);
  });
});
