/**
 * File output for CLI commands (`plan -o`). A regular file is replaced atomically: a
 * temp file in the same directory, fsync'd, then renamed over it, so a reader never
 * sees half a plan. A target that exists and is not a regular file (`/dev/null`, a
 * FIFO) is written in place: renaming over a device would replace it.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileAtomic(path: string, content: string): void {
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    special = false;
  }
  if (special) {
    writeFileSync(path, content);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
