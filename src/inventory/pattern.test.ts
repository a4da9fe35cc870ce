/** Host patterns (`hosts:`, `--limit`) as Ansible evaluates them. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseInventory } from "./parse.js";
import { selectHosts, splitPattern } from "./pattern.js";
import { memoryFs } from "./test-fs.js";
import type { Inventory } from "./types.js";

function inventory(ini: string): Inventory {
  const r = parseInventory(["hosts"], memoryFs({ hosts: ini }));
  if (r.inventory === null) throw new Error(JSON.stringify(r.diagnostics));
  return r.inventory;
}

const INV = inventory(
  [
    "bastion",
    "[web]",
    "web1.example.com",
    "web2.example.com",
    "web10.example.com",
    "[db]",
    "db1.example.com",
    "web2.example.com",
    "[staging]",
    "db1.example.com",
    "stage1",
    "[prod:children]",
    "web",
    "db",
  ].join("\n"),
);

const files: Record<string, string> = { "failed-hosts": "web1.example.com\n\nstage1\n" };
const select = (pattern: string) => selectHosts(INV, pattern, (p) => files[p] ?? null);
const hosts = (pattern: string) => {
  const r = select(pattern);
  expect(r.diagnostics).toEqual([]);
  return r.hosts;
};

const WEB = ["web1.example.com", "web2.example.com", "web10.example.com"];

describe("host patterns", () => {
  it.each([
    [
      "all",
      [
        "bastion",
        "web1.example.com",
        "web2.example.com",
        "web10.example.com",
        "db1.example.com",
        "stage1",
      ],
    ],
    [
      "*",
      [
        "bastion",
        "web1.example.com",
        "web2.example.com",
        "web10.example.com",
        "db1.example.com",
        "stage1",
      ],
    ],
    ["web", [...WEB]],
    ["prod", [...WEB, "db1.example.com"]],
    ["ungrouped", ["bastion"]],
    ["stage1", ["stage1"]],
    ["db:web", [...WEB, "db1.example.com"]],
    ["db,staging", ["web2.example.com", "db1.example.com", "stage1"]],
    ["web:&db", ["web2.example.com"]],
    ["prod:!web", ["db1.example.com"]],
    ["!web:staging", ["db1.example.com", "stage1"]],
    ["!prod", ["bastion", "stage1"]],
    ["&staging", ["db1.example.com", "stage1"]],
    ["web*", [...WEB]],
    ["*.example.com:!db*", ["web1.example.com", "web10.example.com"]],
    ["web?.example.com", ["web1.example.com", "web2.example.com"]],
    ["web[12].example.com", ["web1.example.com", "web2.example.com"]],
    ["~web\\d+\\.", [...WEB]],
    ["~(web|db)1", ["web1.example.com", "web10.example.com", "db1.example.com"]],
    ["web[0]", ["web1.example.com"]],
    ["web[-1]", ["web10.example.com"]],
    ["prod[1:2]", ["web2.example.com", "web10.example.com"]],
    ["prod[2:]", ["web10.example.com", "db1.example.com"]],
    ["@failed-hosts", ["web1.example.com", "stage1"]],
    ["prod:!@failed-hosts", ["web2.example.com", "web10.example.com", "db1.example.com"]],
    ["localhost", ["localhost"]],
    ["web1.example.com, bastion", ["bastion", "web1.example.com"]],
  ])("%s", (pattern, expected) => {
    expect(hosts(pattern)).toEqual(expected);
  });

  it("a pattern that matches nothing is a warning, as in Ansible", () => {
    expect(select("nope:web[0]")).toEqual({
      hosts: ["web1.example.com"],
      diagnostics: [
        { severity: "warning", code: "no-hosts-matched", message: "no hosts matched 'nope'" },
      ],
    });
  });

  it.each([
    ["~web(", "invalid regular expression in host pattern '~web('"],
    ["web[7]", "no host at index 7 in 'web[7]' (3 hosts)"],
    ["@missing", "cannot read the host list 'missing'"],
    ["web,!", "'!' must be followed by a host or group in 'web,!'"],
  ])("%s is an error", (pattern, message) => {
    const r = selectHosts(INV, pattern, () => null, { file: "site.yml", line: 2, column: 10 });
    expect(r.hosts).toEqual([]);
    expect(r.diagnostics[0]?.severity).toBe("error");
    expect(r.diagnostics[0]?.message.startsWith(message)).toBe(true);
    expect(r.diagnostics[0]?.pos).toEqual({ file: "site.yml", line: 2, column: 10 });
  });

  it("splits on commas, else on colons outside brackets; a lone address keeps its colons", () => {
    expect(splitPattern("a:b:&c:!d")).toEqual(["a", "b", "&c", "!d"]);
    expect(splitPattern("web[1:3]:db")).toEqual(["web[1:3]", "db"]);
    expect(splitPattern("fe80::1")).toEqual(["fe80::1"]);
    expect(splitPattern("host:2222")).toEqual(["host:2222"]);
    expect(splitPattern(" a , b ")).toEqual(["a", "b"]);
  });
});

describe("host patterns are set operations", () => {
  const HOSTS = ["h0", "h1", "h2", "h3", "h4", "h5", "h6"];
  const GROUPS = ["ga", "gb", "gc"];
  /** Each host's groups, as bits over GROUPS. */
  const fleet = fc.array(fc.integer({ min: 0, max: 7 }), {
    minLength: HOSTS.length,
    maxLength: HOSTS.length,
  });
  const term = fc.constantFrom(...GROUPS, ...HOSTS, "all", "h*", "~h[0-3]");

  const build = (bits: number[]) =>
    inventory(
      GROUPS.map(
        (g, i) => `[${g}]\n${HOSTS.filter((_, h) => ((bits[h] ?? 0) >> i) & 1).join("\n")}\n`,
      ).join("") + `[all]\n${HOSTS.join("\n")}\n`,
    );

  // For any inventory and terms a, b: a:b is S(a) ∪ S(b), a:&b is S(a) ∩ S(b), a:!b is
  // S(a) \ S(b), each in inventory order without duplicates.
  test.prop([fleet, term, term])("union, intersection, exclusion", (bits, a, b) => {
    const inv = build(bits);
    const s = (p: string) => selectHosts(inv, p, () => null).hosts;
    const inOrder = (set: Set<string>) => inv.hosts.map((h) => h.name).filter((h) => set.has(h));
    const [sa, sb] = [new Set(s(a)), new Set(s(b))];
    expect(s(a)).toEqual(inOrder(sa));
    expect(s(`${a}:${b}`)).toEqual(inOrder(new Set([...sa, ...sb])));
    expect(s(`${a},${b}`)).toEqual(inOrder(new Set([...sa, ...sb])));
    expect(s(`${a}:&${b}`)).toEqual(inOrder(new Set([...sa].filter((h) => sb.has(h)))));
    expect(s(`${a}:!${b}`)).toEqual(inOrder(new Set([...sa].filter((h) => !sb.has(h)))));
    expect(s(`!${b}:${a}`)).toEqual(s(`${a}:!${b}`));
  });
});
