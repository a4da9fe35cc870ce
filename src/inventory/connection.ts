/**
 * A host's merged variables → how to reach it. cairn's own names win over Ansible's:
 * `cairn_host` > `ansible_host` > `ansible_ssh_host` > the inventory name; the same for
 * port, user, key file, connection, become and become user. `cairn_host_key_checking`
 * is `strict`, `accept-new` or `off`; Ansible's boolean `ansible_host_key_checking`
 * maps true → strict, false → off. Values that are templates (`{{ }}`) are not judged
 * here: the planner renders the vars and calls this again.
 */
import type { Connection, HostKeyChecking } from "./types.js";

export interface ConnectionProblem {
  severity: "error" | "warning";
  /** The variable at fault. */
  key: string;
  message: string;
  hint?: string;
}

const NAMES = {
  host: ["cairn_host", "ansible_host", "ansible_ssh_host"],
  port: ["cairn_port", "ansible_port", "ansible_ssh_port"],
  user: ["cairn_user", "ansible_user", "ansible_ssh_user"],
  keyFile: ["cairn_key_file", "ansible_ssh_private_key_file", "ansible_private_key_file"],
  kind: ["cairn_connection", "ansible_connection"],
  become: ["cairn_become", "ansible_become"],
  becomeUser: ["cairn_become_user", "ansible_become_user"],
  hostKeyChecking: [
    "cairn_host_key_checking",
    "ansible_host_key_checking",
    "ansible_ssh_host_key_checking",
  ],
} as const;

/** Ansible settings cairn does not act on: said, never silently ignored. */
const UNSUPPORTED: Record<string, string> = {
  ansible_password: "use an SSH key (ansible_ssh_private_key_file) or the SSH agent",
  ansible_ssh_pass: "use an SSH key (ansible_ssh_private_key_file) or the SSH agent",
  ansible_ssh_password: "use an SSH key (ansible_ssh_private_key_file) or the SSH agent",
  ansible_become_password: "cairn runs sudo -n: allow the user passwordless sudo",
  ansible_become_pass: "cairn runs sudo -n: allow the user passwordless sudo",
  ansible_ssh_common_args: "set SSH options in ~/.ssh/config or the cairn_* variables",
  ansible_ssh_extra_args: "set SSH options in ~/.ssh/config or the cairn_* variables",
  ansible_become_flags: "cairn runs sudo -n -u USER",
};

const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  "1": true,
  false: false,
  no: false,
  off: false,
  "0": false,
};

export const isTemplate = (v: unknown): boolean =>
  typeof v === "string" && (v.includes("{{") || v.includes("{%"));

/** Ansible's `boolean()`: true/false, yes/no, on/off, 1/0 (any case), or null when not one. */
export function asBoolean(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && (v === 0 || v === 1)) return v === 1;
  if (typeof v !== "string") return null;
  const b = BOOLEANS[v.trim().toLowerCase()];
  return b ?? null;
}

export function connectionFromVars(
  name: string,
  vars: Record<string, unknown>,
): { connection: Connection; problems: ConnectionProblem[] } {
  const problems: ConnectionProblem[] = [];
  const pick = (keys: readonly string[]): [string, unknown] | null => {
    for (const key of keys)
      if (vars[key] !== undefined && vars[key] !== null) return [key, vars[key]];
    return null;
  };
  const text = (keys: readonly string[]): string | null => {
    const found = pick(keys);
    return found === null ? null : String(found[1]);
  };
  const problem = (key: string, message: string, hint?: string) =>
    problems.push({ severity: "error", key, message, ...(hint ? { hint } : {}) });

  const connection: Connection = {
    kind: "ssh",
    host: text(NAMES.host) ?? name,
    port: 22,
    user: text(NAMES.user),
    keyFile: text(NAMES.keyFile),
    become: null,
    becomeUser: text(NAMES.becomeUser),
    hostKeyChecking: null,
  };

  const kind = pick(NAMES.kind);
  if (kind !== null && !isTemplate(kind[1])) {
    const value = String(kind[1]);
    if (value === "local") connection.kind = "local";
    else if (value !== "ssh" && value !== "smart" && value !== "paramiko") {
      problem(
        kind[0],
        `connection '${value}' is not supported`,
        "cairn connects with ssh or local",
      );
    }
  }

  const port = pick(NAMES.port);
  if (port !== null && !isTemplate(port[1])) {
    const value =
      typeof port[1] === "string" && /^\s*\d+\s*$/.test(port[1]) ? Number(port[1]) : port[1];
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) {
      connection.port = value;
    } else
      problem(port[0], `bad port ${JSON.stringify(port[1])}`, "a port is a number from 1 to 65535");
  }

  const become = pick(NAMES.become);
  if (become !== null && !isTemplate(become[1])) {
    connection.become = asBoolean(become[1]);
    if (connection.become === null) {
      problem(become[0], `${become[0]} must be a boolean, not ${JSON.stringify(become[1])}`);
    }
  }

  const method = vars.ansible_become_method;
  if (method !== undefined && method !== null && method !== "sudo" && !isTemplate(method)) {
    problem(
      "ansible_become_method",
      `become method '${String(method)}' is not supported`,
      "cairn becomes another user with sudo -n only",
    );
  }

  const checking = pick(NAMES.hostKeyChecking);
  if (checking !== null && !isTemplate(checking[1])) {
    connection.hostKeyChecking = hostKeyPolicy(checking[0], checking[1]);
    if (connection.hostKeyChecking === null) {
      problem(
        checking[0],
        `${checking[0]} must be ${checking[0].startsWith("cairn") ? "strict, accept-new or off" : "a boolean"}, not ${JSON.stringify(checking[1])}`,
      );
    }
  }

  for (const [key, hint] of Object.entries(UNSUPPORTED)) {
    if (vars[key] !== undefined) {
      problems.push({
        severity: "warning",
        key,
        message: `${key} is not supported; ignored`,
        hint,
      });
    }
  }
  return { connection, problems };
}

function hostKeyPolicy(key: string, value: unknown): HostKeyChecking | null {
  if (key === "cairn_host_key_checking") {
    return value === "strict" || value === "accept-new" || value === "off" ? value : null;
  }
  const b = asBoolean(value);
  return b === null ? null : b ? "strict" : "off";
}
