import { describe, expect, it } from "vitest";
import { parseOsRelease } from "./gatherers.js";
import { localFacts } from "./local.js";

const types: Record<string, string> = {
  os: "string",
  arch: "string",
  hostname: "string",
  username: "string",
  user_home: "string",
  shell: "string",
  distribution: "string",
  distribution_version: "string",
  distribution_major: "string",
  distribution_codename: "string",
  kernel_version: "string",
  cpu_cores: "number",
  memory_total_mb: "number",
  package_manager: "string",
  python_version: "string",
  ip_addresses_string: "string",
  is_linux: "boolean",
  is_darwin: "boolean",
  is_macos: "boolean",
  is_windows: "boolean",
  apt_available: "boolean",
  dnf_available: "boolean",
  yum_available: "boolean",
  pacman_available: "boolean",
  zypper_available: "boolean",
  apk_available: "boolean",
  brew_available: "boolean",
  port_available: "boolean",
  linux: "boolean",
  darwin: "boolean",
  macos: "boolean",
  windows: "boolean",
  cpu_model: "string",
  cpu_flags_string: "string",
  memory_free_mb: "number",
  swap_total_mb: "number",
  swap_free_mb: "number",
  default_gateway: "string",
  dns_servers_string: "string",
  docker_version: "string",
  git_version: "string",
  go_version: "string",
  ollama_version: "string",
  ollama_endpoint: "string",
};
const LISTS = [
  "ip_addresses",
  "network_interfaces",
  "disks",
  "gpus",
  "cpu_flags",
  "dns_servers",
  "ollama_models",
];

/** Every name of mooncake's `facts.ToMap` (internal/facts/facts.go), compared name by name. */
const MOONCAKE_TO_MAP = [
  "os",
  "arch",
  "hostname",
  "username",
  "user_home",
  "distribution",
  "distribution_version",
  "distribution_major",
  "ip_addresses",
  "ip_addresses_string",
  "network_interfaces",
  "cpu_cores",
  "memory_total_mb",
  "disks",
  "gpus",
  "kernel_version",
  "cpu_model",
  "cpu_flags",
  "cpu_flags_string",
  "memory_free_mb",
  "swap_total_mb",
  "swap_free_mb",
  "default_gateway",
  "dns_servers",
  "dns_servers_string",
  "python_version",
  "package_manager",
  "apt_available",
  "dnf_available",
  "yum_available",
  "pacman_available",
  "zypper_available",
  "apk_available",
  "brew_available",
  "port_available",
  "linux",
  "darwin",
  "macos",
  "windows",
  "docker_version",
  "git_version",
  "go_version",
  "ollama_version",
  "ollama_models",
  "ollama_endpoint",
];

describe("localFacts", () => {
  it("lists every fact of mooncake's facts.ToMap, each with the right type", () => {
    const f = localFacts();
    expect(f.names()).toEqual([...Object.keys(types), ...LISTS].sort());
    for (const name of MOONCAKE_TO_MAP) expect(f.names()).toContain(name);
    for (const [name, type] of Object.entries(types)) expect(typeof f.get(name), name).toBe(type);
    for (const name of LISTS) expect(Array.isArray(f.get(name)), name).toBe(true);
    expect(f.get("linux")).toBe(f.get("os") === "linux");
    expect(f.get("apt_available")).toBe(f.get("package_manager") === "apt");
    expect(f.get("no_such_fact")).toBeUndefined();
    expect(f.get("_os_release")).toBeUndefined();
  });

  it("uses Go's names for os and arch", () => {
    const f = localFacts();
    expect(["linux", "darwin", "windows"]).toContain(f.get("os"));
    expect(["amd64", "arm64", "386", "arm"]).toContain(f.get("arch"));
    expect(f.get("is_linux")).toBe(process.platform === "linux");
  });

  it("reads the distribution from os-release on Linux", () => {
    if (process.platform !== "linux") return;
    const f = localFacts();
    expect(f.get("distribution")).toMatch(/^[a-z0-9._-]+$/);
    expect(
      String(f.get("distribution_version")).startsWith(String(f.get("distribution_major"))),
    ).toBe(true);
    expect(Number(f.get("memory_total_mb"))).toBeGreaterThan(0);
    expect(Number(f.get("cpu_cores"))).toBeGreaterThan(0);
  });

  it("computes only the facts asked for, each once", () => {
    const computed: string[] = [];
    const f = localFacts({ onCompute: (n) => computed.push(n) });
    f.get("os");
    f.get("os");
    f.get("is_linux");
    expect(computed).toEqual(["os", "is_linux"]);
    expect(computed).not.toContain("python_version");
  });

  it("parses os-release with quotes", () => {
    expect(parseOsRelease("ID=debian\nVERSION_ID=\"12\"\nNAME='Debian'\n# c\n")).toEqual({
      ID: "debian",
      VERSION_ID: "12",
      NAME: "Debian",
    });
  });
});
