/**
 * Facts of a target reached through a Transport: the names and meanings of the local
 * facts (gatherers.ts, more-gatherers.ts), computed from the output of ONE shell
 * script run on the target (remote-script.ts) with only the sections the asked facts
 * need. Parsing reuses the local gatherers' parsers, so that a fact means the same
 * wherever it was gathered (on this machine, through the local transport, the two
 * agree: facts/remote.test.ts).
 */
import type { Transport } from "../transports/transport.js";
import { GOARCH, MANAGERS, packageManager, parseOsRelease } from "./gatherers.js";
import {
  meminfoMb,
  parseCpuFlags,
  parseDisks,
  parseDnsServers,
  parseGateway,
  versionIn,
} from "./more-gatherers.js";
import { factScript, splitSections } from "./remote-script.js";

type Get = (name: string) => unknown;
type Section = (name: string) => string;
interface RemoteFact {
  /** Script sections read, and (as "f:name") facts read. */
  needs: string[];
  value: (get: Get, section: Section) => unknown;
}

const line = (text: string, i: number) => text.split("\n")[i]?.trim() ?? "";
const fact = (needs: string[], value: RemoteFact["value"]): RemoteFact => ({ needs, value });
const isOs = (name: string) => fact(["f:os"], (get) => get("os") === name);
const managerIs = (name: string) =>
  fact(["f:package_manager"], (get) => get("package_manager") === name);
const version = (section: string) => fact([section], (_g, s) => versionIn(s(section)));
const joined = (list: string, sep: string) =>
  fact([`f:${list}`], (get) => (get(list) as string[]).join(sep));
const osRelease = (get: Get) => get("_os_release") as Record<string, string>;

/** Go's names, as the local facts use (GOARCH maps node's names; these are uname's). */
const UNAME_ARCH: Record<string, string> = {
  x86_64: "amd64",
  amd64: "amd64",
  aarch64: "arm64",
  arm64: "arm64",
  i386: "386",
  i686: "386",
};

const remoteFacts: Record<string, RemoteFact> = {
  os: fact(["uname"], (_g, s) => line(s("uname"), 0).toLowerCase()),
  arch: fact(["uname"], (_g, s) => {
    const m = line(s("uname"), 1);
    return UNAME_ARCH[m] ?? (m.startsWith("arm") ? GOARCH.arm : m);
  }),
  hostname: fact(["uname"], (_g, s) => line(s("uname"), 2)),
  kernel_version: fact(["uname"], (_g, s) => line(s("uname"), 3)),
  username: fact(["user"], (_g, s) => line(s("user"), 0)),
  user_home: fact(["user"], (_g, s) => line(s("user"), 1)),
  shell: fact(["user"], (_g, s) => line(s("user"), 2)),
  is_linux: isOs("linux"),
  is_darwin: isOs("darwin"),
  is_macos: isOs("darwin"),
  is_windows: isOs("windows"),
  linux: isOs("linux"),
  darwin: isOs("darwin"),
  macos: isOs("darwin"),
  windows: isOs("windows"),
  _os_release: fact(["f:os", "osrelease"], (get, s) =>
    get("os") === "linux" ? parseOsRelease(s("osrelease")) : {},
  ),
  distribution: fact(
    ["f:_os_release", "f:os"],
    (get) => osRelease(get).ID ?? (get("os") === "darwin" ? "macos" : ""),
  ),
  distribution_version: fact(
    ["f:_os_release", "f:os", "swvers"],
    (get, s) => osRelease(get).VERSION_ID ?? (get("os") === "darwin" ? line(s("swvers"), 0) : ""),
  ),
  distribution_major: fact(
    ["f:distribution_version"],
    (get) => String(get("distribution_version")).split(".")[0] ?? "",
  ),
  distribution_codename: fact(["f:_os_release"], (get) => osRelease(get).VERSION_CODENAME ?? ""),
  cpu_cores: fact(["nproc"], (_g, s) => Number(line(s("nproc"), 0)) || 1),
  memory_total_mb: fact(["meminfo", "memsize"], (_g, s) =>
    s("meminfo") === ""
      ? Math.floor(Number(line(s("memsize"), 0)) / (1024 * 1024)) || 0
      : meminfoMb(s("meminfo"), "MemTotal"),
  ),
  package_manager: fact(["f:distribution", "f:os", "managers"], (get, s) => {
    const found = new Set(s("managers").split("\n"));
    return packageManager(String(get("distribution")), String(get("os")), (b) => found.has(b));
  }),
  ...Object.fromEntries(MANAGERS.map((m) => [`${m}_available`, managerIs(m)])),
  port_available: managerIs("port"),
  python_version: fact(["python"], (_g, s) => line(s("python"), 0).replace(/^Python\s+/, "")),
  ip_addresses: fact(["ip", "links"], (_g, s) =>
    interfaces(s("ip"), s("links")).flatMap((i) => i.addresses.map((a) => a.split("/")[0])),
  ),
  ip_addresses_string: joined("ip_addresses", ", "),
  network_interfaces: fact(["ip", "links"], (_g, s) => interfaces(s("ip"), s("links"))),
  disks: fact(["f:os", "df"], (get, s) =>
    get("os") === "linux" ? parseDisks(s("df").trim()) : [],
  ),
  gpus: fact([], () => []),
  cpu_model: fact(["cpuinfo", "cpubrand"], (_g, s) => {
    const m = /^model name\s*:(.*)$/m.exec(s("cpuinfo"));
    return (m?.[1] ?? line(s("cpubrand"), 0)).trim();
  }),
  cpu_flags: fact(["f:os", "cpuinfo"], (get, s) =>
    get("os") === "linux" ? parseCpuFlags(s("cpuinfo")) : [],
  ),
  cpu_flags_string: joined("cpu_flags", " "),
  memory_free_mb: fact(["meminfo"], (_g, s) => meminfoMb(s("meminfo"), "MemAvailable")),
  swap_total_mb: fact(["meminfo"], (_g, s) => meminfoMb(s("meminfo"), "SwapTotal")),
  swap_free_mb: fact(["meminfo"], (_g, s) => meminfoMb(s("meminfo"), "SwapFree")),
  default_gateway: fact(["f:os", "route"], (get, s) =>
    get("os") === "linux" ? parseGateway(s("route")) : "",
  ),
  dns_servers: fact(["resolv"], (_g, s) => parseDnsServers(s("resolv"))),
  dns_servers_string: joined("dns_servers", ", "),
  docker_version: version("docker"),
  git_version: version("git"),
  go_version: version("go"),
  ollama_version: version("ollama"),
  ollama_models: fact([], () => []),
  ollama_endpoint: fact(["f:ollama_version"], (get) =>
    get("ollama_version") === "" ? "" : "http://localhost:11434",
  ),
};

/** The script sections `names` need, following the facts they read. */
function sectionsFor(names: readonly string[]): string[] {
  const sections = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const n of remoteFacts[name]?.needs ?? []) {
      if (n.startsWith("f:")) visit(n.slice(2));
      else sections.add(n);
    }
  };
  for (const n of names) visit(n);
  return [...sections].sort();
}

/**
 * Gathers `names` on the target with one script bounded by `timeoutMs`; unknown names
 * are left out. Throws when the script cannot run or does not finish in time.
 */
export async function gatherFactsVia(
  transport: Transport,
  names: string[],
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const wanted = names.filter((n) => Object.hasOwn(remoteFacts, n) && !n.startsWith("_"));
  const sections = sectionsFor(wanted);
  const out: Buffer[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  const r =
    sections.length === 0
      ? { rc: 0, aborted: false, spawnError: null }
      : await transport.run({
          command: {
            shell: factScript(sections, Math.max(1, Math.ceil(timeoutMs / 1000))),
            interpreter: "sh",
          },
          env: {},
          cwd: null,
          stdin: null,
          become: false,
          becomeUser: null,
          signal,
          onOutput: (stream, chunk) => {
            if (stream === "stdout") out.push(chunk);
            return undefined;
          },
        });
  if (r.aborted) throw new Error(`gathering facts timed out after ${timeoutMs} ms`);
  if (r.spawnError !== null) throw new Error(`gathering facts: ${r.spawnError}`);
  if (r.rc !== 0) throw new Error(`gathering facts: the script exited with ${r.rc}`);
  const raw = splitSections(Buffer.concat(out).toString("utf8"));
  const cache = new Map<string, unknown>();
  const get = (name: string): unknown => {
    if (!cache.has(name))
      cache.set(
        name,
        remoteFacts[name]?.value(get, (s) => raw.get(s) ?? ""),
      );
    return cache.get(name);
  };
  return Object.fromEntries(wanted.map((n) => [n, get(n)]));
}

/** Every fact name gatherFactsVia knows. */
export function remoteFactNames(): string[] {
  return Object.keys(remoteFacts)
    .filter((n) => !n.startsWith("_"))
    .sort();
}

interface Interface {
  name: string;
  mac_address: string;
  mtu: number;
  addresses: string[];
  up: boolean;
}

/** IFF_UP and IFF_LOOPBACK, from /sys/class/net/<name>/flags. */
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
/** Operational states of a running interface (IFF_RUNNING, which /sys does not show in flags). */
const RUNNING = new Set(["up", "unknown"]);

/**
 * Interfaces that are up and running and not loopback, with their addresses, in the
 * order node's os.networkInterfaces() gives them (getifaddrs: every IPv4 address by
 * interface index, then every IPv6 one), as the local facts list them.
 */
function interfaces(ipOut: string, linksOut: string): Interface[] {
  const links = new Map<string, string[]>();
  for (const l of linksOut.split("\n")) {
    const f = l.trim().split(/\s+/);
    if (f.length >= 5) links.set(f[0] as string, f);
  }
  const byName = new Map<string, { v4: string[]; v6: string[] }>();
  for (const l of ipOut.split("\n")) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)/.exec(l);
    if (m === null) continue;
    const [, name, family, cidr] = m as unknown as [string, string, string, string];
    const link = links.get(name) ?? [];
    const flags = Number.parseInt(link[1] ?? "0", 16);
    if ((flags & IFF_UP) === 0 || (flags & IFF_LOOPBACK) !== 0 || !RUNNING.has(link[4] ?? ""))
      continue;
    const entry = byName.get(name) ?? { v4: [], v6: [] };
    byName.set(name, entry);
    (family === "inet" ? entry.v4 : entry.v6).push(cidr);
  }
  const ordered = [...byName].sort(
    ([, a], [, b]) => (a.v4.length > 0 ? 0 : 1) - (b.v4.length > 0 ? 0 : 1),
  );
  return ordered.map(([name, a]) => {
    const f = links.get(name) ?? [];
    return {
      name,
      mac_address: f[2] ?? "",
      mtu: Number(f[3]) || 0,
      addresses: [...a.v4, ...a.v6],
      up: f[4] !== "down",
    };
  });
}
