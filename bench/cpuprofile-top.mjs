// Top self-time functions and files of a V8 .cpuprofile (from `node --cpu-prof`).
// Usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [N=25]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = prof.timeDeltas ?? [];
const self = new Map(); // node id → µs
for (const [i, id] of prof.samples.entries()) self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const short = (url) => url.replace(/^file:\/\//, "").replace(/^.*?\/(dist|node_modules)\//, "$1/");
const fns = new Map();
const files = new Map();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const f = url ? short(url) : "(native/VM)";
  const key = `${functionName || "(anonymous)"}  ${f}${url ? `:${lineNumber + 1}` : ""}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  files.set(f, (files.get(f) ?? 0) + us);
}
const show = (title, m) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
};
show("self time by function", fns);
show("self time by file", files);
