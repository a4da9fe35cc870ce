/** INI inventories as Ansible reads them: sections, host lines, values, ranges, errors at their place. */
import { describe, expect, it } from "vitest";
import { parseInventory } from "./parse.js";
import { memoryFs } from "./test-fs.js";

const load = (text: string, extra: Record<string, string> = {}) =>
  parseInventory(["inv/hosts"], memoryFs({ "inv/hosts": text, ...extra }));

const ok = (text: string) => {
  const r = load(text);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (r.inventory === null) throw new Error("no inventory");
  return r.inventory;
};

const host = (inv: ReturnType<typeof ok>, name: string) => {
  const h = inv.hosts.find((x) => x.name === name);
  if (h === undefined) throw new Error(`no host ${name}`);
  return h;
};

describe("INI inventory", () => {
  it("reads hosts, groups, vars and children; hosts before a section are ungrouped", () => {
    const inv = ok(
      [
        "# a comment",
        "; another",
        "jump.example.com ansible_port=2222",
        "",
        "[web]",
        "web1 ansible_host=10.0.0.1 http_port=80 # inline comment",
        "web2:2200",
        "",
        "[db]",
        "db1",
        "",
        "[prod:children]",
        "web",
        "db",
        "",
        "[prod:vars]",
        "env = production",
      ].join("\n"),
    );
    expect(inv.hosts.map((h) => h.name)).toEqual(["jump.example.com", "web1", "web2", "db1"]);
    expect(inv.groups.get("ungrouped")?.hosts).toEqual(["jump.example.com"]);
    expect(inv.groups.get("prod")?.children).toEqual(["web", "db"]);
    expect(inv.groups.get("all")?.children).toEqual(["ungrouped", "prod"]);
    expect(host(inv, "web1").vars).toEqual({
      env: "production",
      ansible_host: "10.0.0.1",
      http_port: 80,
    });
    expect(host(inv, "web1").groups).toEqual(["all", "prod", "web"]);
    expect(host(inv, "web2").connection.port).toBe(2200);
    expect(host(inv, "jump.example.com").connection).toEqual({
      kind: "ssh",
      host: "jump.example.com",
      port: 2222,
      user: null,
      keyFile: null,
      become: null,
      becomeUser: null,
      hostKeyChecking: null,
    });
  });

  it("reads values as Python literals, as Ansible's ast.literal_eval does", () => {
    const inv = ok(
      [
        `h a=22 b=True c=yes d="'03#x'" e='[1, "two"]' f="{'k': None}" g=022 h=1.5 i=web01 j="a b" k=-3`,
        "[all:vars]",
        "s1=8080 # a comment after a literal",
        "s2=FALSE",
        "s3='quoted'",
        "s4=not a literal # kept",
      ].join("\n"),
    );
    expect(host(inv, "h").vars).toEqual({
      s1: 8080,
      s2: "FALSE",
      s3: "quoted",
      s4: "not a literal # kept",
      a: 22,
      b: true,
      c: "yes",
      d: "03#x",
      e: [1, "two"],
      f: { k: null },
      g: "022",
      h: 1.5,
      i: "web01",
      j: "a b",
      k: -3,
    });
  });

  it("expands ranges as Ansible does", () => {
    const inv = ok(
      [
        "[web]",
        "web[01:03].example.com",
        "[net]",
        "10.0.0.[1:3]",
        "[x]",
        "db-[a:c]",
        "s[0:6:3]",
        "r[1:2]-[a:b]",
      ].join("\n"),
    );
    expect(inv.groups.get("web")?.hosts).toEqual([
      "web01.example.com",
      "web02.example.com",
      "web03.example.com",
    ]);
    expect(inv.groups.get("net")?.hosts).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    expect(inv.groups.get("x")?.hosts).toEqual([
      "db-a",
      "db-b",
      "db-c",
      "s0",
      "s3",
      "s6",
      "r1-a",
      "r1-b",
      "r2-a",
      "r2-b",
    ]);
  });

  it("merges several inventories: one host named twice is one host, later values win", () => {
    const r = parseInventory(
      ["a.ini", "b/hosts"],
      memoryFs({ "a.ini": "[web]\nw1 x=1 y=1\n", "b/hosts": "[db]\nw1 x=2\nd1\n" }),
    );
    expect(r.inventory?.hosts.map((h) => [h.name, h.vars, h.groups])).toEqual([
      ["w1", { x: 2, y: 1 }, ["all", "db", "web"]],
      ["d1", {}, ["all", "db"]],
    ]);
    expect(r.inventory?.files).toEqual(["a.ini", "b/hosts"]);
  });

  it.each([
    ["[web:weird]\nw1", "unknown section type 'weird' in [web:weird]", 1, 6],
    ["[web group]\nw1", "invalid section '[web group]'", 1, 1],
    ["[web]\nw1 novalue", "expected key=value after the host name, got 'novalue'", 2, 4],
    ["[web]\n  w1 x='open", "host line: no closing quotation", 2, 8],
    ["[web]\nweb[3:1]", "a host range must have begin <= end", 2, 4],
    ["[web]\nweb[01:100]", "a zero-padded host range must have begin and end of equal width", 2, 4],
    ["[web]\nweb[1:x]", "a host range must be numbers or single letters, not '1:x'", 2, 4],
    ["[web:vars]\nnovalue", "expected key=value, got 'novalue'", 2, 1],
    ["[web:children]\ndb\n", "[web:children] names group 'db', which is never declared", 2, 1],
    ["[web:vars]\nx=1\n", "[web:vars] is for a group that is never declared", 1, 1],
    ["[web]\nw1 ansible_port=99999", "host 'w1': bad port 99999", 2, 17],
    ["---\nall:\n  hosts: [a]\n", "'hosts' of group 'all' must be a mapping, not a list", 3, 10],
  ])("%j is a located error", (text, message, line, column) => {
    const r = load(text);
    expect(r.inventory).toBeNull();
    const found = r.diagnostics.find((d) => d.message === message);
    expect(found).toMatchObject({ severity: "error", pos: { file: "inv/hosts", line, column } });
  });

  it("a child declared later is fine; a cycle is an error naming the chain", () => {
    expect(ok("[a:children]\nb\n[b]\nh\n").groups.get("a")?.children).toEqual(["b"]);
    const r = load("[a:children]\nb\n[b:children]\nc\n[c:children]\na\n");
    expect(r.inventory).toBeNull();
    expect(r.diagnostics).toEqual([
      {
        severity: "error",
        code: "inventory-cycle",
        message: "group 'a' is its own child: a -> b -> c -> a",
        pos: { file: "inv/hosts", line: 6, column: 1, length: 1 },
      },
    ]);
  });

  it("an unsupported connection setting is an error, an ignored one a warning, each where it is set", () => {
    const r = load(
      "[web]\nw1\nw2\n[web:vars]\nansible_become_method=su\nansible_password=secret\n",
    );
    expect(r.diagnostics.map((d) => [d.severity, d.message, d.pos?.line])).toEqual([
      ["error", "host 'w1': become method 'su' is not supported", 5],
      ["warning", "host 'w1': ansible_password is not supported; ignored", 6],
    ]);
  });
});
