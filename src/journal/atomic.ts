/** Small files of the run directory are replaced atomically: temp file, fsync, rename. */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";

export function replaceFile(path: string, content: string, sync: boolean): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, content);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
