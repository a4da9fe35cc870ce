// The floor: spawn `sh -c CMD` N times with child_process.spawn, JOBS at a time
// (default 1: one after another), awaiting each exit.
// Usage: node bench/floor.mjs N [JOBS=1] [CMD=true] [MODE=ignore]
//   MODE=pipes spawns as cairn must: its own process group (to kill it whole) and
//   stdout/stderr piped and read (to stream output lines).
//   → prints {"n":N,"ms":total,"perSpawnMs":ms/N,"rssMb":…} (time measured inside this process).
//   FLOOR_BALLAST_MB=80 first grows the heap by about that much (live objects), to see
//   what a bigger process (cairn's 70–90 MB) costs each fork.
// Timing this whole `node` process from outside gives the "as a process" figure.
import { spawn } from "node:child_process";

const n = Number(process.argv[2] ?? 100);
const jobs = Number(process.argv[3] ?? 1);
const cmd = process.argv[4] ?? "true";
const pipes = process.argv[5] === "pipes";
const ballast = [];
for (let mb = 0; mb < Number(process.env.FLOOR_BALLAST_MB ?? 0); mb++)
  ballast.push(Array.from({ length: 20_000 }, (_, i) => ({ i })));

function once() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "sh",
      ["-c", cmd],
      pipes ? { detached: true, stdio: ["ignore", "pipe", "pipe"] } : { stdio: "ignore" },
    );
    if (pipes) {
      child.stdout.on("data", () => {});
      child.stderr.on("data", () => {});
    }
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`sh exited ${code}`))));
  });
}

let started = 0;
async function worker() {
  while (started < n) {
    started++;
    await once();
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: Math.min(jobs, n) }, worker));
const ms = performance.now() - t0;
const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
process.stdout.write(`${JSON.stringify({ n, ms, perSpawnMs: n > 0 ? ms / n : 0, rssMb })}\n`);
