/**
 * Ansible's YAML inventory → the builder: top-level keys are groups (usually `all`),
 * each a mapping of `hosts` (host → vars), `vars` and `children` (group → the same
 * shape), read in the order written, as Ansible's `yaml` plugin does. Where Ansible
 * only warns and skips (a key other than hosts/vars/children, a group that is not a
 * mapping) cairn stops with a located error: a typo must not silently drop hosts.
 */
import type { JsPath, LoadedDoc } from "../load/index.js";
import type { InventoryBuilder } from "./builder.js";
import { parseHostEntry } from "./host-range.js";

const SECTIONS = ["hosts", "vars", "children"];

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const kind = (v: unknown): string => (Array.isArray(v) ? "a list" : `a ${typeof v}`);

export function parseYamlInventory(doc: LoadedDoc, b: InventoryBuilder): void {
  const top = doc.value;
  if (top === null || top === undefined) {
    b.warn("inventory-empty", "the inventory is empty", doc.locate([]));
    return;
  }
  if (!isMapping(top)) {
    b.error(
      "inventory-shape",
      `a YAML inventory is a mapping of groups, not ${kind(top)}`,
      doc.locate([]),
      "all: {hosts: {web1: {ansible_host: 10.0.0.1}}, children: {db: {hosts: {db1: }}}}",
    );
    return;
  }
  if ("plugin" in top) {
    b.error(
      "inventory-shape",
      "inventory plugins (plugin:) are not supported; write the hosts out",
      doc.locateKey(["plugin"]),
    );
    return;
  }
  for (const name of Object.keys(top)) group(doc, b, name, top[name], [name]);
}

function group(doc: LoadedDoc, b: InventoryBuilder, name: string, data: unknown, path: JsPath) {
  b.group(name, doc.locateKey(path));
  if (data === null || data === undefined) return;
  if (!isMapping(data)) {
    b.error(
      "inventory-shape",
      `group '${name}' must be a mapping of hosts, vars and children, not ${kind(data)}`,
      doc.locate(path),
    );
    return;
  }
  for (const key of Object.keys(data)) {
    const at = [...path, key];
    let value = data[key];
    if (!SECTIONS.includes(key)) {
      b.error(
        "inventory-shape",
        `unknown key '${key}' in group '${name}'`,
        doc.locateKey(at),
        "a group has hosts, vars and children",
      );
      continue;
    }
    if (typeof value === "string") value = { [value]: null };
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) {
      const hint =
        key === "hosts" && Array.isArray(value)
          ? "hosts is a mapping, one host a key: hosts: {web1: , web2: {ansible_port: 2222}}"
          : undefined;
      b.error(
        "inventory-shape",
        `'${key}' of group '${name}' must be a mapping, not ${kind(value)}`,
        doc.locate(at),
        hint,
      );
      continue;
    }
    if (key === "vars") {
      const vars = b.group(name, null).vars;
      for (const [k, v] of Object.entries(value))
        vars.set(k, { value: v, pos: doc.locate([...at, k]) });
    } else if (key === "children") {
      for (const [child, childData] of Object.entries(value)) {
        group(doc, b, child, childData, [...at, child]);
        b.child(name, child, doc.locateKey([...at, child]));
      }
    } else {
      for (const [entry, hostData] of Object.entries(value))
        hosts(doc, b, name, entry, hostData, [...at, entry]);
    }
  }
}

function hosts(
  doc: LoadedDoc,
  b: InventoryBuilder,
  groupName: string,
  entry: string,
  data: unknown,
  path: JsPath,
) {
  const parsed = parseHostEntry(entry);
  const keyPos = doc.locateKey(path);
  if (!parsed.ok) {
    b.error("inventory-range", parsed.error.message, {
      ...keyPos,
      column: keyPos.column + parsed.error.offset,
      length: 1,
    });
    return;
  }
  if (data !== null && data !== undefined && !isMapping(data)) {
    b.error(
      "inventory-shape",
      `the vars of host '${entry}' must be a mapping, not ${kind(data)}`,
      doc.locate(path),
      "host: {ansible_host: 10.0.0.1, ansible_user: deploy}",
    );
    return;
  }
  for (const name of parsed.value.names) {
    const host = b.host(name, groupName, keyPos);
    if (parsed.value.port !== null)
      host.vars.set("ansible_port", { value: parsed.value.port, pos: keyPos });
    for (const [k, v] of Object.entries(data ?? {})) {
      host.vars.set(k, { value: v, pos: doc.locate([...path, k]) });
    }
  }
}
