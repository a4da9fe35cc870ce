/**
 * The inventory while it is being read: what each source (INI, YAML, group_vars/,
 * host_vars/) declared, with the place of every declaration, before the merge. Several
 * `-i` files fill the same builder, as Ansible's sources fill one InventoryData: a host
 * or group named twice is one host or group, and a later value of a variable replaces
 * an earlier one.
 */
import type { Diagnostic, SourcePos } from "../model/index.js";

export interface VarDef {
  value: unknown;
  pos: SourcePos;
}

export type VarDefs = Map<string, VarDef>;

export interface RawGroup {
  name: string;
  hosts: string[];
  children: { name: string; pos: SourcePos | null }[];
  /** Variables from the inventory files. */
  vars: VarDefs;
  /** Variables from group_vars/ beside each inventory, in `-i` order. */
  fileVars: VarDefs;
  origin: SourcePos | null;
}

export interface RawHost {
  name: string;
  vars: VarDefs;
  /** Variables from host_vars/ beside each inventory. */
  fileVars: VarDefs;
  origin: SourcePos;
}

export class InventoryBuilder {
  readonly groups = new Map<string, RawGroup>();
  readonly hosts = new Map<string, RawHost>();
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];

  constructor() {
    this.group("all", null);
    this.group("ungrouped", null);
    this.child("all", "ungrouped", null);
  }

  group(name: string, pos: SourcePos | null): RawGroup {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { name, hosts: [], children: [], vars: new Map(), fileVars: new Map(), origin: pos };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Declares a host, in `group` when given (its port, from `host:2222`, is `ansible_port`). */
  host(name: string, group: string | null, pos: SourcePos): RawHost {
    let host = this.hosts.get(name);
    if (host === undefined) {
      host = { name, vars: new Map(), fileVars: new Map(), origin: pos };
      this.hosts.set(name, host);
    }
    if (group !== null) {
      const members = this.group(group, pos).hosts;
      if (!members.includes(name)) members.push(name);
    }
    return host;
  }

  child(parent: string, child: string, pos: SourcePos | null): void {
    this.group(child, pos);
    const kids = this.group(parent, pos).children;
    if (!kids.some((k) => k.name === child)) kids.push({ name: child, pos });
  }

  error(code: string, message: string, pos: SourcePos, hint?: string): void {
    this.diagnostics.push({ severity: "error", code, message, pos, ...(hint ? { hint } : {}) });
  }

  warn(code: string, message: string, pos: SourcePos): void {
    this.diagnostics.push({ severity: "warning", code, message, pos });
  }
}
