/** A throwaway project directory with the given files, for end-to-end tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cairn-e2e-"));
  for (const [name, text] of Object.entries(files)) {
    const full = join(dir, name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}
