/** Connections from vars, the implicit localhost, and Ansible's magic variables. */
import { describe, expect, it } from "vitest";
import { connectionFromVars } from "./connection.js";
import { emptyInventory, findHost, magicVars } from "./hosts.js";
import { parseInventory } from "./parse.js";
import { selectHosts } from "./pattern.js";
import { memoryFs } from "./test-fs.js";

describe("connectionFromVars", () => {
  it("cairn's names win over Ansible's, which win over the old ansible_ssh_* ones", () => {
    const { connection, problems } = connectionFromVars("web1", {
      ansible_ssh_host: "10.0.0.9",
      ansible_host: "10.0.0.1",
      cairn_host: "10.0.0.2",
      ansible_port: "2222",
      ansible_user: "admin",
      cairn_user: "deploy",
      ansible_ssh_private_key_file: "~/.ssh/a",
      cairn_key_file: "~/.ssh/c",
      ansible_become: "yes",
      cairn_become: false,
      ansible_become_user: "root",
      ansible_become_method: "sudo",
      ansible_host_key_checking: false,
      cairn_host_key_checking: "accept-new",
    });
    expect(problems).toEqual([]);
    expect(connection).toEqual({
      kind: "ssh",
      host: "10.0.0.2",
      port: 2222,
      user: "deploy",
      keyFile: "~/.ssh/c",
      become: false,
      becomeUser: "root",
      hostKeyChecking: "accept-new",
    });
  });

  it("Ansible's booleans: yes/no/true/false/1/0; host key checking false is off", () => {
    const c = (vars: Record<string, unknown>) => connectionFromVars("h", vars).connection;
    expect(c({ ansible_become: "True" }).become).toBe(true);
    expect(c({ ansible_become: "no" }).become).toBe(false);
    expect(c({ ansible_become: 1 }).become).toBe(true);
    expect(c({ ansible_host_key_checking: "False" }).hostKeyChecking).toBe("off");
    expect(c({ ansible_connection: "local" }).kind).toBe("local");
  });

  it("leaves templates for the planner to render", () => {
    const r = connectionFromVars("h", { ansible_port: "{{ base + 1 }}", ansible_host: "{{ ip }}" });
    expect(r.problems).toEqual([]);
    expect(r.connection).toMatchObject({ host: "{{ ip }}", port: 22 });
  });

  it.each([
    [{ ansible_port: 0 }, "ansible_port", "bad port 0"],
    [{ cairn_port: "ssh" }, "cairn_port", 'bad port "ssh"'],
    [{ ansible_connection: "winrm" }, "ansible_connection", "connection 'winrm' is not supported"],
    [
      { ansible_become_method: "su" },
      "ansible_become_method",
      "become method 'su' is not supported",
    ],
    [{ cairn_become: "maybe" }, "cairn_become", 'cairn_become must be a boolean, not "maybe"'],
    [
      { cairn_host_key_checking: "yes" },
      "cairn_host_key_checking",
      'cairn_host_key_checking must be strict, accept-new or off, not "yes"',
    ],
  ])("%j is an error", (vars, key, message) => {
    expect(connectionFromVars("h", vars).problems).toEqual([
      expect.objectContaining({ severity: "error", key, message }),
    ]);
  });

  it("warns about what it ignores", () => {
    const r = connectionFromVars("h", {
      ansible_ssh_common_args: "-o ProxyJump=x",
      ansible_password: "p",
    });
    expect(r.problems.map((p) => [p.severity, p.key])).toEqual([
      ["warning", "ansible_password"],
      ["warning", "ansible_ssh_common_args"],
    ]);
  });
});

describe("hosts and magic variables", () => {
  const inv = parseInventory(
    ["i/hosts"],
    memoryFs({
      "i/hosts": "lone\n10.1.2.3\n[web]\nweb1.example.com\n[prod:children]\nweb\n[all:vars]\nx=1\n",
      "i/group_vars/all.yml": "y: 2\n",
    }),
  ).inventory;
  if (inv === null) throw new Error("no inventory");

  it("gives Ansible's magic variables", () => {
    const m = magicVars(inv, "web1.example.com");
    expect(m.inventory_hostname).toBe("web1.example.com");
    expect(m.inventory_hostname_short).toBe("web1");
    expect(m.group_names).toEqual(["prod", "web"]);
    expect(m.groups).toEqual({
      all: ["lone", "10.1.2.3", "web1.example.com"],
      ungrouped: ["lone", "10.1.2.3"],
      web: ["web1.example.com"],
      prod: ["web1.example.com"],
    });
    expect(m.hostvars.lone).toEqual({
      x: 1,
      y: 2,
      inventory_hostname: "lone",
      inventory_hostname_short: "lone",
      group_names: ["ungrouped"],
    });
    expect(magicVars(inv, "10.1.2.3").inventory_hostname_short).toBe("10.1.2.3");
  });

  it("localhost is implicit: local, the all group's vars, not matched by all", () => {
    expect(findHost(inv, "localhost")).toMatchObject({
      name: "localhost",
      groups: [],
      vars: { x: 1, y: 2, ansible_connection: "local" },
      connection: { kind: "local", host: "localhost" },
    });
    expect(findHost(inv, "elsewhere")).toBeNull();
    expect(selectHosts(inv, "all", () => null).hosts).not.toContain("localhost");
    expect(magicVars(inv, "localhost").group_names).toEqual([]);
  });

  it("the empty inventory has only the implicit localhost", () => {
    const empty = emptyInventory();
    expect(selectHosts(empty, "localhost", () => null)).toEqual({
      hosts: ["localhost"],
      diagnostics: [],
    });
    expect(selectHosts(empty, "all", () => null)).toEqual({ hosts: [], diagnostics: [] });
    expect(findHost(empty, "localhost")?.connection.kind).toBe("local");
  });
});
