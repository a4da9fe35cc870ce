/**
 * Files at scale through the built CLI: a 1 GiB download and a 300 MB binary copy with
 * cairn's peak memory bounded, a checksum mismatch that leaves nothing behind, and a
 * symlink loop that fails fast with a located message.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeSync,
} from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, type CliResult, events } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

/** cairn's peak RSS must stay under this for any file size (it was 3.2 GB for 1 GiB). */
const PEAK_RSS_BOUND_KIB = 256 * 1024;
const GiB = 2 ** 30;

const servers: Server[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  // A GiB on disk is worth freeing before the other suites run, not at process exit.
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs the CLI without blocking this process (the test's own server must keep
 * serving), killing it after `limitMs`. Peak RSS is the kernel's high-water mark
 * (VmHWM), polled from /proc while it runs: the mark only rises, so the last reading
 * before exit holds the peak so far.
 */
function cairnMeasured(args: string[], cwd: string, limitMs = 50_000) {
  return new Promise<CliResult & { peakKiB: number }>((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peakKiB = 0;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // Exited between two polls.
      }
    }, 20);
    const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("close", (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      done({ code, stdout, stderr, peakKiB });
    });
  });
}

/** `size` bytes made on the fly, 64 KiB at a time: a fixed pattern stamped with the block's index. */
function* generated(size: number): Generator<Buffer> {
  const block = Buffer.alloc(1 << 16);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  for (let at = 0, n = 0; at < size; at += block.length, n++) {
    // A fresh chunk each time: a socket may still hold the previous one.
    const chunk = Buffer.from(block.subarray(0, Math.min(block.length, size - at)));
    chunk.writeUInt32LE(n, 0);
    yield chunk;
  }
}

/** Whether the file holds exactly `chunks`, compared chunk by chunk: never held whole. */
function fileEquals(path: string, chunks: Iterable<Buffer>): boolean {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    let at = 0;
    for (const want of chunks) {
      const n = readSync(fd, buf, 0, want.length, at);
      if (n !== want.length || !buf.subarray(0, n).equals(want)) return false;
      at += n;
    }
    return readSync(fd, buf, 0, 1, at) === 0;
  } finally {
    closeSync(fd);
  }
}

/** A file's bytes, 1 MB at a time. */
function* chunksOf(path: string): Generator<Buffer> {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1_000_000);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Serves generated(size), so that nothing that size is ever stored; `served()` is the
 * sha256 of the last body sent in full. Answers 304 to a conditional request.
 */
async function generatingServer(size: number) {
  let digest = "";
  const server = createServer((req, res) => {
    if (req.headers["if-modified-since"] !== undefined) return void res.writeHead(304).end();
    res.writeHead(200, { "content-length": String(size) });
    const h = createHash("sha256");
    const chunks = generated(size);
    const pump = () => {
      for (let c = chunks.next(); !c.done; c = chunks.next()) {
        h.update(c.value);
        if (!res.write(c.value)) return void res.once("drain", pump);
      }
      digest = h.digest("hex");
      res.end();
    };
    pump();
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served: () => digest,
  };
}

describe.skipIf(process.platform !== "linux")("large files in flat memory", () => {
  it("downloads 1 GiB through the CLI with the right sha256 and a bounded peak RSS", async () => {
    const { base, served } = await generatingServer(GiB);
    const dir = project({
      "site.yml": `- name: fetch\n  download: {url: "${base}/big.img", dest: out/big.img, timeout: 5m}\n`,
      "out/.keep": "",
    });
    dirs.push(dir);
    const r = await cairnMeasured(["run", "site.yml", "--json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const done = events(r.stdout).find((e) => e.type === "step.completed");
    expect(done).toMatchObject({ status: "changed", result: { checksum: served() } });
    // cairn's hash is of what it received; the bytes on disk are checked too.
    expect(fileEquals(join(dir, "out/big.img"), generated(GiB))).toBe(true);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([".keep", "big.img"]);
    expect(r.peakKiB).toBeGreaterThan(0);
    expect(r.peakKiB).toBeLessThan(PEAK_RSS_BOUND_KIB);
  }, 120_000);

  it("plans and copies a 300 MB binary byte for byte with a bounded peak RSS", async () => {
    const dir = project({ "site.yml": "- name: put\n  copy: {src: blob.bin, dest: copy.bin}\n" });
    dirs.push(dir);
    const src = join(dir, "blob.bin");
    const want = createHash("sha256");
    const fd = openSync(src, "w");
    for (let i = 0; i < 300; i++) {
      const chunk = randomBytes(1_000_000);
      want.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const sha = want.digest("hex");

    const plan = await cairnMeasured(["plan", "site.yml", "--format", "json"], dir);
    expect(plan.code).toBe(0);
    const sources = (JSON.parse(plan.stdout) as { sources: unknown[] }).sources;
    expect(sources).toContainEqual({ path: "blob.bin", sha256: sha });
    expect(plan.peakKiB).toBeGreaterThan(0);
    expect(plan.peakKiB).toBeLessThan(PEAK_RSS_BOUND_KIB);

    const run = await cairnMeasured(["run", "site.yml", "--json"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const done = events(run.stdout).find((e) => e.type === "step.completed");
    expect(done).toMatchObject({ status: "changed", result: { checksum: sha } });
    expect(fileEquals(join(dir, "copy.bin"), chunksOf(src))).toBe(true);
    expect(run.peakKiB).toBeLessThan(PEAK_RSS_BOUND_KIB);
  }, 120_000);
});

describe("files that must not be left behind, or hang", () => {
  it("a checksum mismatch leaves neither a temp file nor the destination", async () => {
    const { base } = await generatingServer(100_000);
    const bad = "0".repeat(64);
    const dir = project({
      "site.yml": `- name: fetch\n  download: {url: "${base}/f", dest: out/f, checksum: "sha256:${bad}"}\n`,
      "out/.keep": "",
    });
    const r = await cairnMeasured(["run", "site.yml"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `FAILED   fetch \\(\\d+ms\\) at site\\.yml:1:3: checksum mismatch: expected sha256:${bad}, got sha256:[0-9a-f]{64}`,
      ),
    );
    expect(readdirSync(join(dir, "out"))).toEqual([".keep"]);
  });

  it("a symlink loop at the destination fails fast, located, for copy, file and template", async () => {
    const dir = project({
      "t.j2": "hi\n",
      "site.yml": [
        "- parallel:",
        "    - name: c",
        "      copy: {content: x, dest: a}",
        "    - name: f",
        "      file: {path: a, content: x}",
        "    - name: t",
        "      template: {src: t.j2, dest: a}",
        "",
      ].join("\n"),
    });
    symlinkSync("b", join(dir, "a"));
    symlinkSync("a", join(dir, "b"));
    for (const mode of [[], ["--dry-run"]]) {
      const r = await cairnMeasured(["run", ...mode, "site.yml"], dir, 20_000);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("c at site.yml:2:7: dest a: too many levels of symbolic links");
      expect(r.stdout).toContain("f at site.yml:4:7: path a: too many levels of symbolic links");
      expect(r.stdout).toContain("t at site.yml:6:7: dest a: too many levels of symbolic links");
    }
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});
