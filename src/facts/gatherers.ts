/**
 * How each local fact is found, one function per fact, named as mooncake names them
 * (it is Go: `os`/`arch` use GOOS/GOARCH names). Reading files and asking node:os is
 * cheap; anything that runs a process is bounded by a timeout.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { delimiter, join } from "node:path";
import { moreGatherers } from "./more-gatherers.js";
import { run } from "./run.js";

export type Gatherer = (get: (name: string) => unknown, timeoutMs: number) => unknown;

export const GOOS: Record<string, string> = { win32: "windows", darwin: "darwin", linux: "linux" };
export const GOARCH: Record<string, string> = {
  x64: "amd64",
  ia32: "386",
  arm64: "arm64",
  arm: "arm",
};

export const gatherers: Record<string, Gatherer> = {
  os: () => GOOS[process.platform] ?? process.platform,
  arch: () => GOARCH[process.arch] ?? process.arch,
  hostname: () => os.hostname(),
  username: () => os.userInfo().username,
  user_home: () => os.homedir(),
  shell: () => process.env.SHELL ?? os.userInfo().shell ?? "",
  is_linux: (get) => get("os") === "linux",
  is_darwin: (get) => get("os") === "darwin",
  is_macos: (get) => get("os") === "darwin",
  is_windows: (get) => get("os") === "windows",
  distribution: (get) => osRelease(get).ID ?? (get("os") === "darwin" ? "macos" : ""),
  distribution_version: (get, t) =>
    osRelease(get).VERSION_ID ??
    (get("os") === "darwin" ? run("sw_vers", ["-productVersion"], t) : ""),
  distribution_major: (get) => String(get("distribution_version")).split(".")[0] ?? "",
  distribution_codename: (get) => osRelease(get).VERSION_CODENAME ?? "",
  kernel_version: () => os.release(),
  cpu_cores: () => os.availableParallelism(),
  memory_total_mb: () => Math.floor(os.totalmem() / (1024 * 1024)),
  package_manager: (get) => packageManager(String(get("distribution")), String(get("os"))),
  python_version: (_get, t) => pythonVersion(t),
  ip_addresses: () => ipAddresses(),
  ip_addresses_string: (get) => (get("ip_addresses") as string[]).join(", "),
  _os_release: readOsRelease,
  ...moreGatherers,
};

/** /etc/os-release as KEY → value; kept in the fact cache under an internal name. */
function osRelease(get: (name: string) => unknown): Record<string, string> {
  return get("_os_release") as Record<string, string>;
}

/** Reads /etc/os-release (Linux only); distribution facts share it through the cache. */
function readOsRelease(get: (name: string) => unknown): Record<string, string> {
  if (get("os") !== "linux") return {};
  for (const file of ["/etc/os-release", "/usr/lib/os-release"]) {
    try {
      return parseOsRelease(readFileSync(file, "utf8"));
    } catch {
      // Try the next location.
    }
  }
  return {};
}

export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1] as string] = (m[2] as string).trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return out;
}

const BY_DISTRO: Record<string, string> = {
  ubuntu: "apt",
  debian: "apt",
  linuxmint: "apt",
  fedora: "dnf",
  arch: "pacman",
  manjaro: "pacman",
  opensuse: "zypper",
  "opensuse-leap": "zypper",
  sles: "zypper",
  alpine: "apk",
};

/** As mooncake: known distributions map directly; otherwise the first one found in PATH. */
export function packageManager(
  distro: string,
  osName: string,
  has: (bin: string) => boolean = inPath,
): string {
  if (osName === "darwin") return has("brew") ? "brew" : "";
  const known = BY_DISTRO[distro];
  if (known !== undefined) return known;
  return MANAGERS.find(has) ?? "";
}

/** Looked for in PATH, in this order, when the distribution is not a known one. */
export const MANAGERS = ["apt", "dnf", "yum", "pacman", "zypper", "apk", "brew"];

function inPath(bin: string): boolean {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((d) => d !== "" && existsSync(join(d, bin)));
}

function pythonVersion(timeoutMs: number): string {
  for (const bin of ["python3", "python"]) {
    const out = run(bin, ["--version"], timeoutMs);
    if (out !== "") return out.replace(/^Python\s+/, "");
  }
  return "";
}

/** As mooncake: every address of an interface that is up and not loopback. */
function ipAddresses(): string[] {
  const out: string[] = [];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal) out.push(a.address);
  }
  return out;
}
