// The start-up floor of `cairn run` of one step: what no runner written for Node can
// skip — read the playbook, hash it (node:crypto), spawn `sh -c true` in its own
// process group with its output piped and read (node:child_process), await its exit,
// and write a small record durably (write + fsync). No YAML, schemas, planner, engine,
// journal format or reporter. CommonJS, as the CLI's entry is.
// Usage: node bench/startup-floor.cjs PLAYBOOK OUT
"use strict";
const { createHash } = require("node:crypto");
const { spawn } = require("node:child_process");
const { closeSync, fsyncSync, openSync, readFileSync, writeSync } = require("node:fs");

const [playbook, out] = process.argv.slice(2);
const digest = createHash("sha256").update(readFileSync(playbook)).digest("hex");
const child = spawn("sh", ["-c", "true"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
child.stdout.on("data", () => {});
child.stderr.on("data", () => {});
child.on("close", (code) => {
  const fd = openSync(out, "w");
  writeSync(fd, `${JSON.stringify({ digest, code })}\n`);
  fsyncSync(fd);
  closeSync(fd);
  process.stdout.write(`ok ${code}\n`);
});
