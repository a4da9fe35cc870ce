// The floor: spawn `sh -c true` N times, one after another, awaiting each exit.
// Usage: node bench/floor.mjs N  → prints {"n":N,"ms":total,"perSpawnMs":...} (in-process time).
// Timing this whole `node` process from outside gives the "as a process" figure.
import { spawn } from "node:child_process";

const n = Number(process.argv[2] ?? 100);

function once() {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", "true"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`sh exited ${code}`))));
  });
}

const t0 = performance.now();
for (let i = 0; i < n; i++) await once();
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ n, ms, perSpawnMs: n > 0 ? ms / n : 0 })}\n`);
