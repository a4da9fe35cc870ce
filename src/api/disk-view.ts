/**
 * The real file-system view handed to the pure planner: reads files and walks
 * directories under the root playbook's directory. It lives in the API layer, so
 * that nothing the planner imports touches node:fs. Hashes are of bytes: a file read
 * as text is hashed from the same read; any other (copy's `src`) is hashed in chunks,
 * never held whole nor decoded.
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { FileSystemView, TreeEntry } from "../plan/inputs.js";

const CHUNK = 1 << 20;

export function diskView(rootDir: string): FileSystemView {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(rootDir, p));
  /** Hashes of files already read as text, by absolute path. */
  const hashed = new Map<string, string>();
  /** `read` of a regular file; null when it is missing, not a file or unreadable. */
  const ifFile = <T>(path: string, read: (full: string) => T): T | null => {
    try {
      const full = abs(path);
      return statSync(full).isFile() ? read(full) : null;
    } catch {
      return null;
    }
  };
  return {
    readText: (path) =>
      ifFile(path, (full) => {
        const bytes = readFileSync(full);
        hashed.set(full, createHash("sha256").update(bytes).digest("hex"));
        return bytes.toString("utf8");
      }),
    sha256: (path) => ifFile(path, (full) => hashed.get(full) ?? sha256OfFile(full)),
    walk(dir) {
      const root = abs(dir);
      try {
        if (!statSync(root).isDirectory()) return null;
      } catch {
        return null;
      }
      const out: TreeEntry[] = [];
      const visit = (rel: string) => {
        for (const name of readdirSync(join(root, rel)).sort()) {
          const relPath = `${rel}/${name}`;
          const st = lstatSync(join(root, relPath));
          out.push({
            path: relPath,
            name,
            is_dir: st.isDirectory(),
            size: st.isDirectory() ? 0 : st.size,
            mode: `0${(st.mode & 0o777).toString(8)}`,
          });
          if (st.isDirectory()) visit(relPath);
        }
      };
      visit("");
      return out;
    },
  };
}

/** The planner is synchronous, so this reads in fixed chunks rather than through a stream. */
function sha256OfFile(full: string): string {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(full, "r");
  try {
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
