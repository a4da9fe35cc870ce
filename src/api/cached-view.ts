/**
 * A file view that answers each question once: fleet planning compiles the same
 * playbook for every host (and again once facts arrive), so each file, hash and
 * directory walk is read from the disk once, not once per host.
 */
import type { FileSystemView, TreeEntry } from "../plan/index.js";

export function cachedView(view: FileSystemView): FileSystemView {
  const texts = new Map<string, string | null>();
  const hashes = new Map<string, string | null>();
  const walks = new Map<string, TreeEntry[] | null>();
  const once = <T>(cache: Map<string, T>, key: string, read: () => T): T => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as T;
  };
  return {
    readText: (p) => once(texts, p, () => view.readText(p)),
    sha256: (p) => once(hashes, p, () => view.sha256(p)),
    walk: (d) => once(walks, d, () => view.walk(d)),
  };
}
