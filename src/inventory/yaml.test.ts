/** YAML inventories, and Ansible's documented example in INI and YAML giving one inventory. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadInventory } from "./load.js";
import { parseInventory } from "./parse.js";
import { memoryFs } from "./test-fs.js";
import type { Inventory } from "./types.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/inventory/", import.meta.url));

/** Everything but the places things were read from. */
function shape(inv: Inventory | null) {
  if (inv === null) throw new Error("no inventory");
  const groups = [...inv.groups.values()]
    .map(({ origin: _, ...g }) => g)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { hosts: inv.hosts.map(({ origin: _, ...h }) => h), groups };
}

describe("the example inventory of Ansible's docs", () => {
  const ini = loadInventory([`${FIXTURES}hosts.ini`]);
  const yaml = loadInventory([`${FIXTURES}hosts.yml`]);

  it("reads the same from INI and from YAML", () => {
    expect(ini.diagnostics).toEqual([]);
    expect(yaml.diagnostics).toEqual([]);
    expect(shape(yaml.inventory)).toEqual(shape(ini.inventory));
  });

  it("merges group_vars/ and host_vars/ and reads the connection", () => {
    const hosts = new Map(ini.inventory?.hosts.map((h) => [h.name, h]));
    expect(hosts.get("www02.example.com")?.vars).toEqual({
      ntp_server: "ntp.example.com",
      deploy_user: "web",
      http_port: 8443,
      ansible_port: 5555,
      cairn_host_key_checking: "accept-new",
    });
    expect(hosts.get("www02.example.com")?.connection).toMatchObject({
      port: 5555,
      hostKeyChecking: "accept-new",
    });
    expect(hosts.get("one.example.com")?.connection).toMatchObject({
      host: "192.0.2.50",
      user: "postgres",
      port: 22,
    });
    expect(hosts.get("host2")?.groups).toEqual(["all", "usa", "southeast", "atlanta", "raleigh"]);
    expect(hosts.get("host2")?.connection).toMatchObject({ become: true, becomeUser: "root" });
    expect(hosts.get("host2")?.vars).toMatchObject({ http_port: 303, halon_system_timeout: 30 });
    expect(ini.inventory?.groups.get("ungrouped")?.hosts).toEqual(["mail.example.com"]);
  });
});

describe("YAML inventory", () => {
  const load = (text: string) => parseInventory(["inv.yml"], memoryFs({ "inv.yml": text }));

  it("takes a string for a section of one host, and top-level groups beside all", () => {
    const r = load("web:\n  hosts: w1\ndb:\n  hosts:\n    d[1:2]:2222:\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.inventory?.hosts.map((h) => [h.name, h.connection.port])).toEqual([
      ["w1", 22],
      ["d1", 2222],
      ["d2", 2222],
    ]);
    expect(r.inventory?.groups.get("all")?.children).toEqual(["ungrouped", "web", "db"]);
  });

  it.each([
    ["- a\n- b\n", "a YAML inventory is a mapping of groups, not a list", 1, 1],
    ["all:\n  hosts:\n    - a\n", "'hosts' of group 'all' must be a mapping, not a list", 3, 5],
    ["all:\n  hosts:\n    a: [1]\n", "the vars of host 'a' must be a mapping, not a list", 3, 8],
    ["all:\n  host:\n    a:\n", "unknown key 'host' in group 'all'", 2, 3],
    [
      "web: [a, b]\n",
      "group 'web' must be a mapping of hosts, vars and children, not a list",
      1,
      6,
    ],
    ["all:\n  hosts:\n    a:\n      ansible_port: http\n", "host 'a': bad port \"http\"", 4, 21],
    ["all:\n  hosts: {a: 1\n", "", 2, 0],
    [
      "plugin: aws_ec2\n",
      "inventory plugins (plugin:) are not supported; write the hosts out",
      1,
      1,
    ],
    [
      "all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n",
      "group 'a' is its own child: a -> b -> a",
      7,
      13,
    ],
  ])("%j is a located error", (text, message, line, column) => {
    const r = load(text);
    expect(r.inventory).toBeNull();
    const d = r.diagnostics.find((x) => x.severity === "error");
    expect(d?.pos?.file).toBe("inv.yml");
    if (message !== "") expect(d).toMatchObject({ message, pos: { line, column } });
  });

  it("a file without extension is YAML when it reads as YAML, else INI", () => {
    const fs = memoryFs({ a: "all:\n  hosts:\n    y1:\n", b: "i1\n[g]\ni2\n" });
    expect(parseInventory(["a", "b"], fs).inventory?.hosts.map((h) => h.name)).toEqual([
      "y1",
      "i1",
      "i2",
    ]);
  });

  it("a directory is read file by file, in order, skipping what Ansible skips", () => {
    const fs = memoryFs({
      "d/02-db.yml": "db:\n  hosts:\n    d1:\n",
      "d/01-web": "[web]\nw1\n",
      "d/notes.md": "not an inventory",
      "d/group_vars/web.yml": "x: 1\n",
    });
    const r = parseInventory(["d"], fs);
    expect(r.diagnostics).toEqual([]);
    expect(r.inventory?.hosts.map((h) => [h.name, h.vars])).toEqual([
      ["w1", { x: 1 }],
      ["d1", {}],
    ]);
  });

  it("a missing inventory is an error", () => {
    expect(parseInventory(["nope"], memoryFs({})).diagnostics).toEqual([
      { severity: "error", code: "missing-file", message: "inventory 'nope' not found" },
    ]);
  });
});
