// Section 4's event figures (issue 15, part 4), called by bench/run.mjs:
// - how many bytes of NDJSON `--json` writes per byte of a step's output (one step writing
//   N MB of 100-byte lines): the goal is ≤ 1.2×, i.e. output events carry the text once,
//   in batched lines, and the completion event does not repeat it;
// - what the live TTY view costs per event: the same playbook of `print` steps (no process
//   spawned, so events are most of the work) on a pseudo-terminal (util-linux `script`),
//   with the live view and with the plain reporter (CI=1), in pairs.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureTool, fmtMs, fmtX, met, outputCommand, pairedMs } from "./lib.mjs";

/** Runs the command and counts what it writes to stdout (bytes and lines), keeping none. */
function countStdout(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "ignore"] });
    let bytes = 0;
    let lines = 0;
    child.stdout.on("data", (d) => {
      bytes += d.length;
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve({ bytes, lines }) : reject(new Error(`exit ${code}`)),
    );
  });
}

/** `count` print steps. */
function writePrintPlaybook(dir, count) {
  const file = join(dir, `prints-${count}.yml`);
  let y = "";
  for (let i = 0; i < count; i++) y += `- name: p${i}\n  print: "hello ${i}"\n`;
  writeFileSync(file, y);
  return file;
}

/**
 * Rows for section 4. `cli` is [node, [main.js]]; `env` the bench's environment; `quick`
 * makes it smaller; `log` reports tools installed.
 */
export async function eventRows({ node, cli, cwd, quick, pairs, log }) {
  const rows = [];
  const MB = 1_000_000;
  const bytes = quick ? 20 * MB : 50 * MB;
  const flood = join(cwd, `flood-${bytes}.yml`);
  writeFileSync(flood, `- name: flood\n  shell: ${outputCommand(bytes)}\n`);
  const env = { ...process.env, CI: "1" };
  const ndjson = await countStdout(node, [cli, "run", flood, "--json", "--no-journal"], {
    cwd,
    env,
  });
  rows.push([
    `\`--json\` bytes per byte of step output (${bytes / MB} MB in one step)`,
    `${(ndjson.bytes / MB).toFixed(1)} MB of NDJSON`,
    `output: ${bytes / MB} MB`,
    fmtX(ndjson.bytes / bytes),
    "≤ 1.2×",
    met(ndjson.bytes / bytes, 1.2),
  ]);

  const note = ensureTool("script", "util-linux", log);
  if (note) {
    rows.push(["live TTY view per event", note, "—", "—", "—", "—"]);
    return rows;
  }
  const steps = quick ? 200 : 1000;
  const pb = writePrintPlaybook(cwd, steps);
  const events = (await countStdout(node, [cli, "run", pb, "--json", "--no-journal"], { cwd, env }))
    .lines;
  const command = `${node} ${cli} run ${pb} --no-journal`;
  const { CI: _ci, ...noCi } = process.env;
  const onPty = (e) => ["script", ["-qec", command, "/dev/null"], { cwd, env: e }];
  const r = await pairedMs(pairs, onPty({ ...noCi, NO_COLOR: "" }), onPty({ ...noCi, CI: "1" }));
  const perEvent = ((r.a - r.b) * 1000) / events;
  rows.push(
    [
      `${steps} \`print\` steps on a terminal: live TTY view vs plain reporter`,
      fmtMs(r.a),
      `plain: ${fmtMs(r.b)}`,
      fmtX(r.ratio),
      "—",
      "—",
    ],
    [
      "live TTY view, cost per event",
      `${perEvent.toFixed(0)} µs`,
      `${events} events`,
      "—",
      "(measured)",
      "—",
    ],
  );
  return rows;
}
