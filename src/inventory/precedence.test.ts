/** Inventory variable precedence, as Ansible orders it (merge.ts lists the order). */
import { describe, expect, it } from "vitest";
import { parseInventory } from "./parse.js";
import { memoryFs } from "./test-fs.js";

/** Lowest first. Each row adds one layer to those before it; that layer must win. */
const LAYERS: [string, string, Record<string, string>][] = [
  ["all vars in the inventory file", "all_inv", { "[all:vars]": "x=all_inv" }],
  ["a parent group's vars in the inventory file", "prod_inv", { "[prod:vars]": "x=prod_inv" }],
  ["a child group's vars in the inventory file", "web_inv", { "[web:vars]": "x=web_inv" }],
  ["group_vars/all", "all_file", { "i/group_vars/all.yml": "x: all_file\n" }],
  ["group_vars/<parent>", "prod_file", { "i/group_vars/prod.yaml": "x: prod_file\n" }],
  [
    "group_vars/<child>",
    "web_file",
    { "i/group_vars/web/a.yml": "x: web_file_a\n", "i/group_vars/web/b.yml": "x: web_file\n" },
  ],
  ["the host's vars in the inventory file", "host_inv", { host: "x=host_inv" }],
  ["host_vars/<host>", "host_file", { "i/host_vars/w1.json": '{"x": "host_file"}' }],
];

function inventoryWith(layers: Record<string, string>[]) {
  const sections: Record<string, string[]> = {
    "[web]": [`w1 ${layers.find((l) => l.host)?.host ?? ""}`],
  };
  const files: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (k.startsWith("[")) sections[k] = [v];
      else if (k !== "host") files[k] = v;
    }
  }
  sections["[prod:children]"] = ["web"];
  const ini = Object.entries(sections)
    .map(([s, lines]) => `${s}\n${lines.join("\n")}\n`)
    .join("");
  return parseInventory(["i/hosts"], memoryFs({ "i/hosts": ini, ...files }));
}

describe("inventory variable precedence", () => {
  it.each(LAYERS.map(([name, value], i) => [name, value, i] as const))(
    "%s beats every layer below it",
    (_name, value, i) => {
      const r = inventoryWith(LAYERS.slice(0, i + 1).map(([, , l]) => l));
      expect(r.diagnostics).toEqual([]);
      expect(r.inventory?.hosts[0]?.vars.x).toBe(value);
    },
  );

  it("groups of one depth merge by name, unless ansible_group_priority says otherwise", () => {
    const fs = (priority: string) =>
      memoryFs({ h: `[a]\nh1\n[b]\nh1\n[a:vars]\nx=a\n${priority}\n[b:vars]\nx=b\n` });
    expect(parseInventory(["h"], fs("")).inventory?.hosts[0]?.vars.x).toBe("b");
    expect(parseInventory(["h"], fs("ansible_group_priority=10")).inventory?.hosts[0]?.vars.x).toBe(
      "a",
    );
  });

  it("a deeper group wins over a shallower one whatever the names", () => {
    const r = parseInventory(
      ["h"],
      memoryFs({ h: "[z:children]\na\n[a]\nh1\n[z]\nh1\n[z:vars]\nx=z\n[a:vars]\nx=a\n" }),
    );
    expect(r.inventory?.hosts[0]?.groups).toEqual(["all", "z", "a"]);
    expect(r.inventory?.hosts[0]?.vars.x).toBe("a");
  });

  it("group_vars/<name> (file or directory) comes before <name>.yml, as Ansible looks them up", () => {
    const r = parseInventory(
      ["i/h"],
      memoryFs({
        "i/h": "[web]\nw1\n",
        "i/group_vars/web": "x: bare\n",
        "i/group_vars/web.yml": "x: yml\n",
      }),
    );
    expect(r.inventory?.hosts[0]?.vars.x).toBe("bare");
    expect(r.inventory?.files).toEqual(["i/h", "i/group_vars/web"]);
  });

  it("a bad vars file is a located error", () => {
    const r = parseInventory(
      ["i/h"],
      memoryFs({ "i/h": "w1\n", "i/host_vars/w1.yml": "- a\n- b\n" }),
    );
    expect(r.inventory).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({
      message: "a vars file must hold a mapping of variables",
      pos: { file: "i/host_vars/w1.yml", line: 1, column: 1 },
    });
  });
});
