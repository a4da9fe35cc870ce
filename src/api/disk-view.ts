/**
 * The real file-system view handed to the pure planner: reads files and walks
 * directories under the root playbook's directory. It lives in the API layer, so
 * that nothing the planner imports touches node:fs.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { FileSystemView, TreeEntry } from "../plan/inputs.js";

export function diskView(rootDir: string): FileSystemView {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(rootDir, p));
  return {
    readText(path) {
      try {
        const full = abs(path);
        if (!statSync(full).isFile()) return null;
        return readFileSync(full, "utf8");
      } catch {
        return null;
      }
    },
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
