/** Source text for the diagnostics printer: files relative to a root directory, read on demand. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export function sourceReader(
  rootDir: string,
  extra: Record<string, string> = {},
): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (Object.hasOwn(extra, path)) return extra[path];
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(resolve(rootDir, path), "utf8"));
      } catch {
        cache.set(path, undefined);
      }
    }
    return cache.get(path);
  };
}
