/**
 * The actions of SPEC §1.3 as zod schemas: one strict object per action (unknown
 * fields are errors), plus the short string forms (`shell: ls`, `print: hi`).
 * `file_replace` (mooncake) is an alias of `replace`. Each is a builder, called once
 * when a playbook first uses that action (`actionSchema`).
 */
import * as z from "zod";
import {
  condition,
  count,
  duration,
  expected,
  mode,
  owner,
  size,
  str,
  stringMap,
  varsMap,
} from "./primitives.js";

type Refinement = z.core.$RefinementCtx;

/** Adds a custom issue unless exactly one (or, with `atMostOne`, at most one) key is set. */
function oneOf(keys: readonly string[], atMostOne = false) {
  return (value: Record<string, unknown>, ctx: Refinement): void => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: [present[1]!],
        message: `'${present[0]}' and '${present[1]}' cannot be used together`,
      });
    } else if (present.length === 0 && !atMostOne) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `needs one of ${keys.map((k) => `'${k}'`).join(", ")}`,
      });
    }
  };
}

export const shellObject = () =>
  z.strictObject({
    cmd: str.describe("The command line, run by the interpreter"),
    interpreter: z.enum(["sh", "bash"]).optional().describe("@default sh"),
    stdin: str.optional().describe("Text written to the command's standard input"),
  });
const shell = () =>
  z
    .union([str, shellObject()])
    .describe("Run a command line in a shell")
    .register(expected, { expected: "a command line, or a mapping with 'cmd'" });

export const commandObject = () =>
  z
    .strictObject({
      argv: z.array(str).min(1).optional().describe("Program and arguments; no shell"),
      cmd: str.optional().describe("A command line split shell-style; no shell"),
      stdin: str.optional(),
    })
    .superRefine(oneOf(["argv", "cmd"]));
const command = () =>
  z
    .union([str, commandObject()])
    .describe("Run a program directly, without a shell")
    .register(expected, { expected: "a command line, or a mapping with 'argv'" });

export const printObject = () => z.strictObject({ msg: str.describe("The message (templated)") });
const print = () =>
  z
    .union([str, printObject()])
    .describe("Print a message in every output mode")
    .register(expected, { expected: "a message, or a mapping with 'msg'" });

const assertCommand = () =>
  z.strictObject({
    cmd: str,
    exit_code: z.int().optional().describe("@default 0"),
  });
const assertFile = () =>
  z.strictObject({
    path: str,
    exists: z.boolean().optional(),
    content: str.optional(),
    contains: str.optional(),
    mode: mode.optional(),
    owner: owner.optional(),
    group: owner.optional(),
  });
const assertHttp = () =>
  z.strictObject({
    url: str,
    method: str.optional().describe("@default GET"),
    status: z.int().optional().describe("@default 200"),
    headers: stringMap.optional(),
    body: str.optional(),
    contains: str.optional(),
    body_equals: str.optional(),
    jsonpath: str.optional(),
    jsonpath_value: z.unknown().optional(),
    timeout: duration.optional(),
  });
export const assertObject = () =>
  z
    .strictObject({
      that: condition.optional().describe("Expression(s) that must all be true"),
      msg: str.optional().describe("Message when the assertion fails"),
      command: assertCommand().optional().describe("A command must exit with exit_code"),
      file: assertFile().optional().describe("A file must exist / contain / have a mode"),
      http: assertHttp().optional().describe("An HTTP request must answer as expected"),
    })
    .superRefine(oneOf(["that", "command", "file", "http"]))
    .describe("Fail unless a condition holds");

const fileState = () =>
  z.enum(["file", "present", "directory", "absent", "touch", "link", "hardlink", "perms"]);
export const fileObject = () =>
  z
    .strictObject({
      path: str,
      state: fileState().optional().describe("@default file (present = file)"),
      content: str.optional(),
      mode: mode.optional(),
      owner: owner.optional(),
      group: owner.optional(),
      src: str.optional().describe("Link target for state link/hardlink"),
      force: z.boolean().optional(),
      recurse: z.boolean().optional(),
      backup: z.boolean().optional(),
    })
    .describe("Manage a file, directory or link");

export const templateObject = () =>
  z
    .strictObject({
      src: str.describe("Jinja2 template, relative to the playbook"),
      dest: str,
      vars: varsMap.optional().describe("Extra variables for this template"),
      mode: mode.optional(),
      owner: owner.optional(),
      group: owner.optional(),
      backup: z.boolean().optional(),
    })
    .describe("Render a Jinja2 template to a file");

export const copyObject = () =>
  z
    .strictObject({
      src: str.optional(),
      content: str.optional(),
      dest: str,
      mode: mode.optional(),
      owner: owner.optional(),
      group: owner.optional(),
      backup: z.boolean().optional(),
      checksum: str.optional(),
      force: z.boolean().optional(),
    })
    .superRefine(oneOf(["src", "content"]))
    .describe("Copy a file, or write given content");

export const unarchiveObject = () =>
  z
    .strictObject({
      src: str.describe(".tar, .tar.gz/.tgz or .zip"),
      dest: str,
      strip_components: count.optional(),
      creates: str.optional(),
      mode: mode.optional(),
    })
    .describe("Extract an archive");

export const downloadObject = () =>
  z
    .strictObject({
      url: str,
      dest: str,
      checksum: str.optional().describe("sha256:… (or md5:…) expected digest"),
      headers: stringMap.optional(),
      timeout: duration.optional().describe("@default 30s; bounds the whole transfer"),
      max_size: size.optional().describe("@default 10GiB; a larger body is refused"),
      mode: mode.optional(),
      force: z.boolean().optional(),
      backup: z.boolean().optional(),
      retries: count.optional(),
    })
    .describe("Download a URL to a file");

export const replaceObject = () =>
  z
    .strictObject({
      path: str,
      regexp: str.optional(),
      pattern: str.optional().describe("Alias of regexp"),
      replace: str.optional().describe("@default '' (delete matches)"),
      replacement: str.optional().describe("Alias of replace"),
      count: count.optional().describe("Replace at most this many matches; all by default"),
      backup: z.boolean().optional(),
    })
    .superRefine(oneOf(["regexp", "pattern"]))
    .superRefine(oneOf(["replace", "replacement"], true))
    .describe("Replace regular-expression matches in a file");

export const lineinfileObject = () =>
  z
    .strictObject({
      path: str,
      line: str.optional(),
      regexp: str.optional(),
      state: z.enum(["present", "absent"]).optional().describe("@default present"),
      insertafter: str.optional(),
      insertbefore: str.optional(),
      create: z.boolean().optional(),
      backup: z.boolean().optional(),
      mode: mode.optional(),
    })
    .superRefine(oneOf(["insertafter", "insertbefore"], true))
    .describe("Ensure a line is present in (or absent from) a file");

export const waitObject = () =>
  z
    .strictObject({
      file_exists: str.optional().describe("Wait for this path"),
      path: str.optional().describe("Alias of file_exists"),
      port: z.int().min(1).max(65535).optional(),
      host: str.optional().describe("@default 127.0.0.1 (with port)"),
      http: str.optional().describe("Wait until this URL answers 2xx"),
      command: str.optional().describe("Wait until this command succeeds"),
      timeout: duration.optional().describe("@default 5m"),
      interval: duration.optional().describe("@default 1s"),
      state: z.enum(["present", "absent", "started", "stopped"]).optional(),
    })
    .superRefine(oneOf(["file_exists", "path", "port", "http", "command"]))
    .describe("Wait for a file, port, URL or command");

const oneOrMore = () =>
  z.union([str, z.array(str)]).register(expected, { expected: "a name or a list of names" });

export const packageObject = () =>
  z
    .strictObject({
      name: oneOrMore().optional().describe("Package to manage"),
      names: z.array(str).optional().describe("Packages to manage (one manager call)"),
      state: z.enum(["present", "absent", "latest"]).optional().describe("@default present"),
      manager: z
        .enum(["apt", "dnf", "yum", "pacman", "zypper", "apk", "brew", "port", "choco", "scoop"])
        .optional()
        .describe("@default detected from the machine"),
      update_cache: z.boolean().optional().describe("Refresh the package index first"),
      upgrade: z.boolean().optional().describe("Upgrade every installed package"),
      extra: z.array(str).optional().describe("Extra arguments for the manager"),
    })
    .superRefine((v, ctx) => {
      if (
        v.name === undefined &&
        v.names === undefined &&
        v.upgrade !== true &&
        v.update_cache !== true
      )
        ctx.addIssue({
          code: "custom",
          path: [],
          message: "needs 'name' or 'names' (or 'upgrade: true')",
        });
    })
    .describe("Install, upgrade or remove system packages");

const unitFile = () =>
  z.strictObject({
    dest: str
      .optional()
      .describe(
        "@default /etc/systemd/system/NAME.service; on macOS the plist, ~/Library/LaunchAgents/NAME.plist (/Library/LaunchDaemons/NAME.plist as root)",
      ),
    content: str.optional(),
    src_template: str.optional().describe("Jinja2 template, relative to the playbook"),
    mode: mode.optional().describe("@default 0644"),
  });
const dropinFile = () =>
  z.strictObject({
    name: str.describe("File name under NAME.service.d/ (e.g. 10-override.conf)"),
    content: str.optional(),
    src_template: str.optional(),
  });
export const serviceObject = () =>
  z
    .strictObject({
      name: str.describe("Service (unit) name"),
      state: z.enum(["started", "stopped", "restarted", "reloaded"]).optional(),
      enabled: z.boolean().optional().describe("Start at boot"),
      daemon_reload: z
        .boolean()
        .optional()
        .describe("Reload systemd's unit files first (nothing to do on launchd)"),
      unit: unitFile()
        .superRefine(oneOf(["content", "src_template"]))
        .optional(),
      dropin: dropinFile()
        .superRefine(oneOf(["content", "src_template"]))
        .optional()
        .describe("systemd only: launchd has no drop-ins"),
    })
    .describe("Manage a system service (systemd; launchd on macOS)");

/**
 * Action name → a function building its input schema. `file_replace` is the mooncake
 * spelling of `replace`. Built on first use (actionSchema): a run of `shell` steps
 * builds the `shell` schema alone, not the fifteen (zod builds each object eagerly, and
 * that was a visible part of every start).
 */
const ACTION_BUILDERS = {
  shell,
  command,
  print,
  assert: assertObject,
  file: fileObject,
  template: templateObject,
  copy: copyObject,
  unarchive: unarchiveObject,
  download: downloadObject,
  replace: replaceObject,
  file_replace: replaceObject,
  lineinfile: lineinfileObject,
  wait: waitObject,
  package: packageObject,
  service: serviceObject,
} as const;

export type ActionKey = keyof typeof ACTION_BUILDERS;
/** Canonical action names (aliases folded). */
export type ActionName = Exclude<ActionKey, "file_replace">;
/** The input schema of action `K`. */
export type ActionSchema<K extends ActionKey> = ReturnType<(typeof ACTION_BUILDERS)[K]>;

export const ACTION_KEYS = Object.keys(ACTION_BUILDERS) as ActionKey[];

export function isActionKey(key: string): key is ActionKey {
  return Object.hasOwn(ACTION_BUILDERS, key);
}

const built = new Map<ActionKey, z.ZodType>();

/** The input schema of action `key`, built once per process. */
export function actionSchema<K extends ActionKey>(key: K): ActionSchema<K> {
  let schema = built.get(key);
  if (schema === undefined) {
    schema = ACTION_BUILDERS[key]();
    built.set(key, schema);
  }
  return schema as ActionSchema<K>;
}
