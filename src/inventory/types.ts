/**
 * The inventory as the rest of cairn sees it (SPEC §1.6): hosts in inventory order, each
 * with its groups, its merged inventory variables (Ansible's order, see merge.ts) and
 * the connection they describe; groups with their direct hosts and children.
 */
import type { SourcePos } from "../model/index.js";

export type HostKeyChecking = "strict" | "accept-new" | "off";

export interface Connection {
  kind: "local" | "ssh";
  /** Address to connect to: `cairn_host`, else `ansible_host`, else the inventory name. */
  host: string;
  port: number;
  user: string | null;
  keyFile: string | null;
  /** null: not set in the inventory (the playbook decides). */
  become: boolean | null;
  becomeUser: string | null;
  hostKeyChecking: HostKeyChecking | null;
}

export interface InventoryHost {
  name: string;
  /** Every group the host is in, ancestors included, `all` first: the order its vars merge in. */
  groups: string[];
  /**
   * Merged inventory variables, kept as data: a value may be a template (`{{ }}`), which
   * the planner renders. When a connection variable is a template, `connection` holds
   * its unrendered text (or the default, for a port); call `connectionFromVars` on the
   * rendered vars.
   */
  vars: Record<string, unknown>;
  connection: Connection;
  /** Where the host was first named. */
  origin: SourcePos;
}

export interface InventoryGroup {
  name: string;
  /** Hosts named directly in this group, in inventory order (not those of its children). */
  hosts: string[];
  children: string[];
  /** The group's own variables: inventory file, then its group_vars/ files. */
  vars: Record<string, unknown>;
  /** Where the group was first named; null for the implicit `all` and `ungrouped`. */
  origin: SourcePos | null;
}

export interface Inventory {
  /** Inventory order: the order hosts were first named, across the files in `-i` order. */
  hosts: InventoryHost[];
  groups: Map<string, InventoryGroup>;
  /** Every file read: inventories, then group_vars/ and host_vars/ files. */
  files: string[];
}

/** A read-only view of the disk, so that parsing stays testable without one. */
export interface InventoryFs {
  /** The text of a regular file, or null when it is missing or not a file. */
  readFile(path: string): string | null;
  /** The entries of a directory, or null when it is not one. */
  listDir(path: string): { name: string; dir: boolean }[] | null;
}
