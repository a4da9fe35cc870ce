/**
 * Where each archive entry lands under dest, after `strip_components`; the lexical
 * half of the traversal guard. An entry is refused when its name is absolute, when a
 * `..` climbs out (before or after stripping), when it is a symlink whose target
 * leaves dest, or when its path runs through one of the archive's own symlinks —
 * the one case a lexical check cannot see through ("l" -> "." then "l/.." is dest's
 * parent on disk) — or below one of its files. Archives are untrusted input: one bad
 * entry refuses them all.
 */
import { posix } from "node:path";
import { type Result, err, ok } from "../model/result.js";
import type { ArchiveEntry } from "./archive/entry.js";

export interface Placed {
  /** The entry's path relative to dest, normalized, '/'-separated. */
  rel: string;
  entry: ArchiveEntry;
}

export function placeEntries(
  entries: readonly ArchiveEntry[],
  strip: number,
): Result<Placed[], string> {
  // A later entry with the same path wins, as tar extracts it over the earlier one;
  // the first position is kept so that directories still come before their contents.
  const byRel = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    const name = entry.name;
    if (name.includes("\0")) return err(`refusing entry with a NUL in its name: ${name}`);
    if (name.startsWith("/") || climbs(name)) return err(`refusing entry outside dest: ${name}`);
    // As GNU tar counts them: "." is a component ("./top/f" minus 1 is "top/f").
    const parts = name.split("/").filter((p) => p !== "");
    if (parts.length <= strip) continue;
    const rel = posix.normalize(parts.slice(strip).join("/"));
    if (climbs(rel)) return err(`refusing entry outside dest: ${name}`);
    // "a/.." and the like name dest itself, which exists already.
    if (rel === ".") continue;
    if (entry.kind === "symlink") {
      const target = entry.target;
      if (target === "" || target.startsWith("/") || climbs(posix.join(posix.dirname(rel), target)))
        return err(`refusing symlink pointing outside dest: ${name} -> ${target}`);
    }
    byRel.set(rel, entry);
  }
  const placed: Placed[] = [];
  for (const [rel, entry] of byRel) {
    const parts = rel.split("/");
    for (let n = 1; n < parts.length; n++) {
      const above = byRel.get(parts.slice(0, n).join("/"));
      if (above?.kind === "symlink")
        return err(`refusing entry through a symlink in the archive: ${entry.name}`);
      // Caught here, or the extraction would fail half-way, after writing the file.
      if (above?.kind === "file")
        return err(`refusing entry below a file in the archive: ${entry.name}`);
    }
    placed.push({ rel, entry });
  }
  return ok(placed);
}

function climbs(p: string): boolean {
  const n = posix.normalize(p);
  return n === ".." || n.startsWith("../");
}
