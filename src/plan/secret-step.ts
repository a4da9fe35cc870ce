/**
 * The secret-related fields of a plan step (SPEC §1.7): `sensitive` (Ansible's
 * `no_log` accepted, with a hint), the secrets the step reads anywhere (resolved just
 * before it runs), and a warning when a secret would end up in a process's argv, where
 * `ps` shows it to every user of the machine (and of the remote host over SSH).
 */
import type { Diagnostic } from "../model/diagnostic.js";
import type { Deferred } from "../model/plan.js";
import type { ActionStep } from "../schema/index.js";
import type { Frame } from "./frame.js";
import type { Planner } from "./planner.js";
import type { DocPath } from "./render.js";
import { secretsOfExpression, secretsOfTemplate } from "./secret-reads.js";
import { expressionText } from "./util.js";

/** Args whose value becomes a process's command line. */
const ARGV_ARGS: Record<string, readonly string[]> = {
  shell: ["args.cmd"],
  command: ["args.cmd", "args.argv"],
};

export interface SecretFields {
  sensitive?: true;
  secrets?: string[];
}

export function secretFields(
  planner: Planner,
  step: ActionStep,
  where: { path: DocPath; frame: Frame },
  fields: {
    args: Record<string, unknown>;
    deferred: Record<string, Deferred>;
    vars: Record<string, unknown>;
    when: string | null;
  },
): SecretFields {
  const out: SecretFields = {};
  if (step.no_log !== null) {
    warnOnce(planner, {
      severity: "warning",
      code: "ansible-alias",
      message: "'no_log' is Ansible's name: cairn reads it as 'sensitive'",
      pos: planner.pos(where.frame, [...where.path, "no_log"]),
      hint: `write 'sensitive: ${step.no_log === true}'`,
    });
  }
  if (step.sensitive === true || (step.sensitive === null && step.no_log === true))
    out.sensitive = true;
  if (planner.secretNames.size === 0) return out;
  const names = new Set<string>();
  for (const d of Object.values(fields.deferred)) for (const n of d.secrets ?? []) names.add(n);
  for (const expr of [
    fields.when,
    expressionText(step.changed_when),
    expressionText(step.failed_when),
  ])
    for (const n of secretsOfExpression(fields.vars, expr)) names.add(n);
  if (step.action === "template" && typeof fields.args.src === "string")
    for (const n of secretsOfTemplate(fields.vars, planner.opts.fs.readText(fields.args.src)))
      names.add(n);
  if (names.size > 0) out.secrets = [...names];
  warnArgv(planner, step, where, fields.deferred);
  return out;
}

function warnArgv(
  planner: Planner,
  step: ActionStep,
  where: { path: DocPath; frame: Frame },
  deferred: Record<string, Deferred>,
): void {
  for (const [key, d] of Object.entries(deferred)) {
    if (d.reason !== "secret") continue;
    if (!(ARGV_ARGS[step.action] ?? []).some((a) => key === a || key.startsWith(`${a}.`))) continue;
    const name = d.secrets?.[0] ?? "";
    warnOnce(planner, {
      severity: "warning",
      code: "secret-in-argv",
      message: `secret '${name}' is part of this command's argv: 'ps' shows it to every user of the machine`,
      pos: planner.pos(where.frame, [...where.path, step.key]),
      chain: where.frame.chain.map((c) => ({ ...c })),
      hint: `pass it through the environment: env: {SECRET: "{{ ${name} }}"}, and read $SECRET in the command (or give it on stdin)`,
    });
    return;
  }
}

const warned = new WeakMap<Planner, Set<string>>();

/** A step expanded more than once (loop iterations, id passes) warns once per place. */
function warnOnce(planner: Planner, d: Diagnostic): void {
  const seen = warned.get(planner) ?? new Set<string>();
  warned.set(planner, seen);
  const key = JSON.stringify([d.code, d.pos]);
  if (seen.has(key)) return;
  seen.add(key);
  planner.opts.onWarning?.(d);
}
