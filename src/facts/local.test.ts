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
};

describe("localFacts", () => {
  it("lists the mooncake basic set, each with the right type", () => {
    const f = localFacts();
    expect(f.names()).toEqual([...Object.keys(types), "ip_addresses"].sort());
    for (const [name, type] of Object.entries(types)) expect(typeof f.get(name), name).toBe(type);
    expect(Array.isArray(f.get("ip_addresses"))).toBe(true);
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
