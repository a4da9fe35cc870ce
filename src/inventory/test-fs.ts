/** An in-memory InventoryFs for tests: files by path; directories are implied by them. */
import type { InventoryFs } from "./types.js";

export function memoryFs(files: Record<string, string>): InventoryFs {
  const paths = Object.keys(files);
  return {
    readFile: (path) => (Object.hasOwn(files, path) ? (files[path] ?? null) : null),
    listDir(path) {
      const prefix = `${path}/`;
      const names = new Map<string, boolean>();
      for (const p of paths) {
        if (!p.startsWith(prefix)) continue;
        const [first, ...rest] = p.slice(prefix.length).split("/");
        if (first !== undefined) names.set(first, rest.length > 0 || (names.get(first) ?? false));
      }
      return names.size === 0 ? null : [...names].map(([name, dir]) => ({ name, dir }));
    },
  };
}
