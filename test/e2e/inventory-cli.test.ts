/** `cairn inventory` through the built CLI: graph, host, list, limit, located errors. */
import { describe, expect, it } from "vitest";
import { cairn } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

const INI = [
  "bastion ansible_host=203.0.113.9",
  "[web]",
  "web[1:3] http_port=80",
  "[db]",
  "db1 ansible_user=postgres",
  "[prod:children]",
  "web",
  "db",
  "[prod:vars]",
  "ansible_become=yes",
  "",
].join("\n");

const dir = project({
  "inventory/hosts": INI,
  // The host line's http_port=80 beats group_vars/ (Ansible's order).
  "inventory/group_vars/web.yml": "http_port: 8080\ncairn_user: deploy\n",
  "inventory/host_vars/web2.yml": "cairn_port: 2202\n",
  "failed-hosts": "web1\ndb1\n",
  "bad.yml": "all:\n  hosts:\n    - web1\n    - web2\n",
});

describe("cairn inventory", () => {
  it("--graph draws groups and hosts as ansible-inventory does", () => {
    const r = cairn(["inventory", "-i", "inventory/hosts", "--graph"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "@all:",
        "  |--@prod:",
        "  |  |--@db:",
        "  |  |  |--db1",
        "  |  |--@web:",
        "  |  |  |--web1",
        "  |  |  |--web2",
        "  |  |  |--web3",
        "  |--@ungrouped:",
        "  |  |--bastion",
        "",
      ].join("\n"),
    );
  });

  it("--host shows the merged vars and the connection, as JSON with --json", () => {
    const r = cairn(["inventory", "-i", "inventory/hosts", "--host", "web2", "--json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      vars: { ansible_become: "yes", http_port: 80, cairn_user: "deploy", cairn_port: 2202 },
      groups: ["all", "prod", "web"],
      connection: {
        kind: "ssh",
        host: "web2",
        port: 2202,
        user: "deploy",
        keyFile: null,
        become: true,
        becomeUser: null,
        hostKeyChecking: null,
      },
    });
    const yaml = cairn(["inventory", "-i", "inventory/hosts", "--host", "web2"], { cwd: dir });
    expect(yaml.stdout).toContain("connection:\n  kind: ssh\n  host: web2\n  port: 2202\n");
  });

  it("--list prints ansible-inventory's JSON; --limit takes a pattern and @file", () => {
    const r = cairn(
      ["inventory", "-i", "inventory/hosts", "--list", "--limit", "prod:!@failed-hosts"],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(list).toEqual({
      _meta: {
        hostvars: {
          web2: { ansible_become: "yes", http_port: 80, cairn_user: "deploy", cairn_port: 2202 },
          web3: { ansible_become: "yes", http_port: 80, cairn_user: "deploy" },
        },
      },
      all: { children: ["ungrouped", "prod"] },
      prod: { children: ["web", "db"] },
      web: { hosts: ["web2", "web3"] },
    });
  });

  it("a bad inventory is a located error and exit 2", () => {
    const r = cairn(["inventory", "-i", "bad.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "bad.yml:3:5: error: 'hosts' of group 'all' must be a mapping, not a list",
    );
    expect(r.stderr).toContain("hint: hosts is a mapping, one host a key");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("usage mistakes exit 2; a pattern that matches nothing warns", () => {
    expect(cairn(["inventory"], { cwd: dir }).code).toBe(2);
    expect(cairn(["inventory", "-i", "missing.ini"], { cwd: dir }).stderr).toContain(
      "inventory 'missing.ini' not found",
    );
    expect(cairn(["inventory", "-i", "inventory/hosts", "--host", "nope"], { cwd: dir }).code).toBe(
      2,
    );
    const warned = cairn(["inventory", "-i", "inventory/hosts", "--limit", "nope:db"], {
      cwd: dir,
    });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("warning: no hosts matched 'nope'");
    expect(warned.stdout).toContain("|--db1");
    expect(warned.stdout).not.toContain("web1");
  });
});
