/** In-memory inputs for the pure planner: a file map as the file system, fixed facts. */
import type {
  CompileOptions,
  FactLookup,
  FileSystemView,
  TreeEntry,
} from "../../src/plan/index.js";
import { compile, sha256Hex } from "../../src/plan/index.js";

export function memoryFs(files: Record<string, string>): FileSystemView {
  return {
    readText: (p) => (Object.hasOwn(files, p) ? files[p]! : null),
    sha256: (p) => (Object.hasOwn(files, p) ? sha256Hex(files[p]!) : null),
    walk(dir) {
      const prefix = `${dir.replace(/\/$/, "")}/`;
      const entries = new Map<string, TreeEntry>();
      for (const [path, text] of Object.entries(files)) {
        if (!path.startsWith(prefix)) continue;
        const parts = path.slice(prefix.length).split("/");
        parts.forEach((name, i) => {
          const rel = `/${parts.slice(0, i + 1).join("/")}`;
          const isDir = i < parts.length - 1;
          entries.set(rel, {
            path: rel,
            name,
            is_dir: isDir,
            size: isDir ? 0 : text.length,
            mode: isDir ? "0755" : "0644",
          });
        });
      }
      return entries.size === 0 ? null : [...entries.values()];
    },
  };
}

export const LINUX_FACTS: Record<string, unknown> = {
  os: "linux",
  arch: "amd64",
  hostname: "testhost",
  username: "tester",
  user_home: "/home/tester",
  distribution: "debian",
  distribution_version: "12",
  distribution_major: "12",
  kernel_version: "6.1.0",
  cpu_cores: 2,
  memory_total_mb: 24000,
  package_manager: "apt",
  python_version: "3.11.7",
  ip_addresses: ["10.0.0.2"],
  ip_addresses_string: "10.0.0.2",
  is_linux: true,
  is_macos: false,
  is_darwin: false,
  is_windows: false,
};

/** Fixed facts that count how often each is looked up (to test laziness). */
export function fixedFacts(
  values: Record<string, unknown> = LINUX_FACTS,
): FactLookup & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get(name) {
      asked.push(name);
      return values[name];
    },
    names: () => Object.keys(values),
  };
}

export function compileFiles(files: Record<string, string>, options: Partial<CompileOptions> = {}) {
  return compile({
    root: "site.yml",
    fs: memoryFs(files),
    facts: { local: fixedFacts() },
    cliVars: {},
    tags: [],
    skipTags: [],
    env: { HOME: "/home/tester" },
    ...options,
  });
}
