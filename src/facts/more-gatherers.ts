/**
 * The rest of mooncake's facts (its `facts.ToMap`), so that its playbooks' conditions
 * read as written: the package-manager and OS booleans (`apt_available`, `linux`, …),
 * hardware and network details, and toolchain versions. Each is one function, asked
 * for lazily like the facts in gatherers.ts.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import type { Gatherer } from "./gatherers.js";
import { run } from "./run.js";

const managerIs =
  (name: string): Gatherer =>
  (get) =>
    get("package_manager") === name;

export const moreGatherers: Record<string, Gatherer> = {
  apt_available: managerIs("apt"),
  dnf_available: managerIs("dnf"),
  yum_available: managerIs("yum"),
  pacman_available: managerIs("pacman"),
  zypper_available: managerIs("zypper"),
  apk_available: managerIs("apk"),
  brew_available: managerIs("brew"),
  port_available: managerIs("port"),
  linux: (get) => get("os") === "linux",
  darwin: (get) => get("os") === "darwin",
  macos: (get) => get("os") === "darwin",
  windows: (get) => get("os") === "windows",
  network_interfaces: () => networkInterfaces(),
  disks: (get, t) => (get("os") === "linux" ? linuxDisks(t) : []),
  gpus: () => [],
  cpu_model: () => os.cpus()[0]?.model.trim() ?? "",
  cpu_flags: (get) => (get("os") === "linux" ? parseCpuFlags(readText("/proc/cpuinfo")) : []),
  cpu_flags_string: (get) => (get("cpu_flags") as string[]).join(" "),
  memory_free_mb: (get) =>
    get("os") === "linux"
      ? meminfoMb(readText("/proc/meminfo"), "MemAvailable")
      : Math.floor(os.freemem() / (1024 * 1024)),
  swap_total_mb: () => meminfoMb(readText("/proc/meminfo"), "SwapTotal"),
  swap_free_mb: () => meminfoMb(readText("/proc/meminfo"), "SwapFree"),
  default_gateway: (get) =>
    get("os") === "linux" ? parseGateway(readText("/proc/net/route")) : "",
  dns_servers: () => parseDnsServers(readText("/etc/resolv.conf")),
  dns_servers_string: (get) => (get("dns_servers") as string[]).join(", "),
  docker_version: (_get, t) => versionOf("docker", ["--version"], t),
  git_version: (_get, t) => versionOf("git", ["--version"], t),
  go_version: (_get, t) => versionOf("go", ["version"], t),
  ollama_version: (_get, t) => versionOf("ollama", ["--version"], t),
  ollama_models: () => [],
  ollama_endpoint: (get) => (get("ollama_version") === "" ? "" : "http://localhost:11434"),
};

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** A /proc/meminfo line in MiB (0 where there is no /proc). */
export function meminfoMb(meminfo: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, "m").exec(meminfo);
  return m === null ? 0 : Math.floor(Number(m[1]) / 1024);
}

export function parseCpuFlags(cpuinfo: string): string[] {
  const m = /^flags\s*:(.*)$/m.exec(cpuinfo);
  return m === null ? [] : m[1]!.trim().split(/\s+/);
}

/** Interfaces other than loopback, as mooncake lists them (name, MAC, MTU, addresses, up). */
function networkInterfaces(): Record<string, unknown>[] {
  return Object.entries(os.networkInterfaces())
    .filter(([, addrs]) => !(addrs ?? []).some((a) => a.internal))
    .map(([name, addrs]) => ({
      name,
      mac_address: addrs?.[0]?.mac ?? "",
      mtu: Number(readText(`/sys/class/net/${name}/mtu`).trim()) || 0,
      addresses: (addrs ?? []).map((a) => a.cidr ?? a.address),
      up: readText(`/sys/class/net/${name}/operstate`).trim() !== "down",
    }));
}

/** The gateway of the default route, from /proc/net/route (little-endian hex). */
export function parseGateway(route: string): string {
  for (const line of route.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === "00000000" && f[2] !== undefined) {
      const n = Number.parseInt(f[2], 16);
      return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join(".");
    }
  }
  return "";
}

export function parseDnsServers(resolvConf: string): string[] {
  return resolvConf
    .split("\n")
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** Mounted block devices from `df` (sizes in GB), as mooncake reports them. */
function linuxDisks(timeoutMs: number): Record<string, unknown>[] {
  return parseDisks(run("df", DF_ARGS, timeoutMs));
}

export const DF_ARGS = ["-B1G", "-T", "-x", "tmpfs", "-x", "devtmpfs", "-x", "overlay"];

export function parseDisks(out: string): Record<string, unknown>[] {
  return out
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 7 && f[0]!.startsWith("/dev/"))
    .map((f) => ({
      device: f[0],
      filesystem: f[1],
      size_gb: Number(f[2]),
      used_gb: Number(f[3]),
      avail_gb: Number(f[4]),
      used_pct: Number.parseInt(f[5]!, 10),
      mount_point: f[6],
    }));
}

/** The first dotted version number a tool prints about itself, or "" when it is absent. */
function versionOf(bin: string, args: string[], timeoutMs: number): string {
  return versionIn(run(bin, args, timeoutMs));
}

export function versionIn(text: string): string {
  return /\d+\.\d+(?:\.\d+)?/.exec(text)?.[0] ?? "";
}
