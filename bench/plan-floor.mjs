// The planning floor: a minimal script that builds, hashes and writes the plan cairn
// makes of the bench's loop playbook (bench/lib.mjs writeLoopPlaybook) — without YAML,
// templates, schemas or the planner: the work no planner can avoid.
// Usage: node bench/plan-floor.mjs TEMPLATE VARS OUT
//   TEMPLATE: `cairn plan -o` of the same playbook over 2 items (the shape of a step);
//   VARS: the JSON vars file of N items; OUT: where the plan goes (compact, as `plan -o`).
// The bench checks that OUT is byte for byte what `cairn plan -o` writes.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const [templateFile, varsFile, out] = process.argv.slice(2);
const template = JSON.parse(readFileSync(templateFile, "utf8"));
const { items } = JSON.parse(readFileSync(varsFile, "utf8"));
const [before, loop] = template.steps;
const last = items.length - 1;

const steps = [before];
for (let i = 0; i <= last; i++) {
  const item = items[i];
  steps.push({
    ...loop,
    id: `step[${i}]`,
    seq: i + 2,
    name: `step ${item}`,
    args: { ...loop.args, cmd: `echo ${item}` },
    needs: [i === 0 ? before.id : `step[${i - 1}]`],
    loop: { ...loop.loop, item, index: i, first: i === 0, last: i === last },
  });
}
const vars = { ...template.vars, items };
const { format_version, digest: _, ...rest } = template;
const body = {
  format_version,
  ...rest,
  vars,
  scopes: template.scopes.map((s, i) => (i === 0 ? vars : s)),
  steps,
};
const digest = `sha256:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}`;
const { format_version: v, ...tail } = body;
writeFileSync(out, `${JSON.stringify({ format_version: v, digest, ...tail })}\n`);
