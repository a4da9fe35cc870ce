/** Source text for the diagnostics printer: files relative to a root directory, read on demand. */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Diagnostic, SourcePos } from "../model/diagnostic.js";

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

/** Rewrites positions relative to `rootDir` (as plans keep them) to paths relative to the current directory. */
export function relativeToCwd(diagnostics: readonly Diagnostic[], rootDir: string): Diagnostic[] {
  const cwd = process.cwd();
  const move = <T extends SourcePos>(p: T): T => ({
    ...p,
    file: relative(cwd, resolve(rootDir, p.file)) || p.file,
  });
  return diagnostics.map((d) => {
    const out: Diagnostic = { ...d };
    if (d.pos !== undefined) out.pos = move(d.pos);
    if (d.chain !== undefined) out.chain = d.chain.map(move);
    return out;
  });
}
