/**
 * Ansible's INI inventory → the builder, line by line as Ansible's `ini` plugin reads
 * it: hosts before any section are `ungrouped`; `[g]` lists hosts (`name k=v ...`,
 * ranges, `name:port`), `[g:vars]` one `k=v` a line, `[g:children]` group names; values
 * are Python literals (python-literal.ts); `#` and `;` start comment lines. A group
 * named in `[g:children]` or `[g:vars]` must be declared by a `[g]` or `[g:children]`
 * section somewhere (in this or an earlier inventory), as Ansible requires.
 */
import type { SourcePos } from "../model/index.js";
import type { InventoryBuilder } from "./builder.js";
import { parseHostEntry } from "./host-range.js";
import { pythonLiteral } from "./python-literal.js";
import { shlexSplit } from "./shlex.js";

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  kind: "vars" | "children";
  pos: SourcePos;
  parents: string[];
}

export function parseIni(path: string, text: string, b: InventoryBuilder): void {
  const pending = new Map<string, Pending>();
  let group = "ungrouped";
  let state = "hosts";
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const at = (offset: number, length = 1): SourcePos => ({
      file: path,
      line: index + 1,
      column: offset + 1,
      length,
    });
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1] ?? "";
      state = section[2] ?? "hosts";
      if (state !== "hosts" && state !== "vars" && state !== "children") {
        const offset = raw.indexOf(`:${state}`) + 1;
        b.error(
          "inventory-section",
          `unknown section type '${state}' in [${group}:${state}]`,
          at(offset, state.length),
          "a section is [group], [group:vars] or [group:children]",
        );
        state = "skip";
        continue;
      }
      if (!b.groups.has(group) && state === "vars" && !pending.has(group)) {
        pending.set(group, { kind: "vars", pos: at(indent, line.length), parents: [] });
      }
      b.group(group, at(indent + 1, group.length));
      const waiting = pending.get(group);
      if (waiting !== undefined && state !== "vars") {
        for (const parent of waiting.parents) b.child(parent, group, waiting.pos);
        pending.delete(group);
      }
      continue;
    }
    if (line.startsWith("[") && line.endsWith("]")) {
      b.error(
        "inventory-section",
        `invalid section '${line}'`,
        at(indent, line.length),
        "no spaces in a section name: [group], [group:vars] or [group:children]",
      );
      state = "skip";
      continue;
    }
    if (state === "hosts") hostLine(raw, at, group, b);
    else if (state === "vars") varLine(raw, indent, at, group, b);
    else if (state === "children") {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) {
        b.error(
          "inventory-syntax",
          `expected a group name, got '${line}'`,
          at(indent, line.length),
        );
      } else if (b.groups.has(child)) {
        b.child(group, child, at(indent, child.length));
      } else {
        const entry = pending.get(child);
        if (entry === undefined) {
          pending.set(child, { kind: "children", pos: at(indent, child.length), parents: [group] });
        } else entry.parents.push(group);
      }
    }
  }
  for (const [name, p] of pending) {
    const message =
      p.kind === "vars"
        ? `[${name}:vars] is for a group that is never declared`
        : `[${p.parents.at(-1)}:children] names group '${name}', which is never declared`;
    b.error("inventory-undefined-group", message, p.pos, `declare it with a [${name}] section`);
  }
}

function hostLine(
  raw: string,
  at: (offset: number, length?: number) => SourcePos,
  group: string,
  b: InventoryBuilder,
): void {
  const words = shlexSplit(raw);
  if (!words.ok) {
    b.error("inventory-syntax", `host line: ${words.error.message}`, at(words.error.offset));
    return;
  }
  const [first, ...rest] = words.value;
  if (first === undefined) return;
  if (first.text === "---") {
    b.error(
      "inventory-syntax",
      "'---' is not a host: is this a YAML inventory?",
      at(first.start, 3),
      "name YAML inventories .yml or .yaml",
    );
    return;
  }
  const entry = parseHostEntry(first.text);
  if (!entry.ok) {
    b.error("inventory-range", entry.error.message, at(first.start + entry.error.offset));
    return;
  }
  const vars: [string, unknown, SourcePos][] = [];
  for (const word of rest) {
    const eq = word.text.indexOf("=");
    if (eq <= 0) {
      b.error(
        "inventory-syntax",
        `expected key=value after the host name, got '${word.text}'`,
        at(word.start, word.text.length),
        "quote a value that holds spaces or '#': key=\"a b\"",
      );
      return;
    }
    const pos = at(word.start + eq + 1, Math.max(word.text.length - eq - 1, 1));
    vars.push([word.text.slice(0, eq), pythonLiteral(word.text.slice(eq + 1)), pos]);
  }
  for (const name of entry.value.names) {
    const host = b.host(name, group, at(first.start, first.text.length));
    if (entry.value.port !== null) {
      host.vars.set("ansible_port", {
        value: entry.value.port,
        pos: at(first.start, first.text.length),
      });
    }
    for (const [key, value, pos] of vars) host.vars.set(key, { value, pos });
  }
}

function varLine(
  raw: string,
  indent: number,
  at: (offset: number, length?: number) => SourcePos,
  group: string,
  b: InventoryBuilder,
): void {
  const eq = raw.indexOf("=");
  const line = raw.trim();
  if (eq === -1) {
    b.error("inventory-syntax", `expected key=value, got '${line}'`, at(indent, line.length));
    return;
  }
  const key = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1).trim();
  const start = raw.indexOf(text, eq + 1);
  const pos = at(text === "" ? eq : start, Math.max(text.length, 1));
  b.group(group, null).vars.set(key, { value: pythonLiteral(text), pos });
}
