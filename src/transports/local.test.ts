import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processSpec } from "../../test/helpers/process-spec.js";
import { localTransport, type ProcessSpec } from "./local.js";
import { alive } from "../../test/helpers/alive.js";

const t = localTransport();

/** A spec whose output is gathered as text per stream, and as `stream:text` chunks in order. */
function spec(over: Partial<ProcessSpec>): ProcessSpec & { lines: string[]; out: Output } {
  const lines: string[] = [];
  const out: Output = { stdout: "", stderr: "" };
  const onOutput: ProcessSpec["onOutput"] = (stream, chunk) => {
    out[stream] += chunk.toString();
    lines.push(`${stream}:${chunk.toString()}`);
    return undefined;
  };
  return { ...processSpec({ onOutput, ...over }), lines, out };
}

interface Output {
  stdout: string;
  stderr: string;
}

/** Runs `s` and adds the gathered output to the result, as the transport once did. */
async function run(s: ReturnType<typeof spec>, tr = t) {
  const r = await tr.run(s);
  return { ...r, ...s.out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("localTransport", () => {
  it("hands on the bytes of both streams, the unterminated end included", async () => {
    const s = spec({
      command: { shell: "echo one; echo two >&2; printf 'three'", interpreter: "sh" },
    });
    const r = await run(s);
    expect(r).toMatchObject({ rc: 0, stdout: "one\nthree", stderr: "two\n", spawnError: null });
    expect(s.lines).toContain("stderr:two\n");
  });

  it("pauses a stream while its consumer asks to wait, and loses nothing", async () => {
    let bytes = 0;
    let waiting = 0;
    let most = 0;
    const s = spec({
      command: { shell: "head -c 3000000 /dev/zero", interpreter: "sh" },
      onOutput: (_stream, chunk) => {
        bytes += chunk.length;
        most = Math.max(most, ++waiting);
        return sleep(2).then((): void => {
          waiting--;
        });
      },
    });
    const r = await t.run(s);
    expect(r.rc).toBe(0);
    expect(bytes).toBe(3_000_000);
    // Node may still deliver a chunk it had read when pause() came; never more.
    expect(most).toBeLessThanOrEqual(2);
  });

  it("keeps reading after the exit while a slow consumer holds the output back", async () => {
    let text = "";
    const s = spec({
      command: { shell: "seq 1 20000", interpreter: "sh" },
      onOutput: (_stream, chunk) => {
        text += chunk.toString();
        return sleep(150).then((): void => {});
      },
    });
    const r = await t.run(s);
    expect(r.rc).toBe(0);
    expect(text.endsWith("\n19999\n20000\n")).toBe(true);
  });

  it("reports the exit code", async () => {
    const r = await run(spec({ command: { shell: "exit 7", interpreter: "sh" } }));
    expect(r.rc).toBe(7);
    expect(r.aborted).toBe(false);
  });

  it("runs bash when asked", async () => {
    const r = await run(
      spec({ command: { shell: '[ -n "$BASH_VERSION" ] && echo bash', interpreter: "bash" } }),
    );
    expect(r.stdout).toBe("bash\n");
  });

  it("merges env over the process environment", async () => {
    const r = await run(
      spec({
        command: { shell: 'echo "$CAIRN_X:$HOME"', interpreter: "sh" },
        env: { CAIRN_X: "42" },
      }),
    );
    expect(r.stdout).toBe(`42:${process.env.HOME}\n`);
  });

  it("runs in cwd and runs argv without a shell", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "cairn-t-")));
    const r = await run(spec({ command: { argv: ["pwd"] }, cwd: dir }));
    expect(r.stdout).toBe(`${dir}\n`);
    const noShell = await run(spec({ command: { argv: ["echo", "$HOME", "a b"] } }));
    expect(noShell.stdout).toBe("$HOME a b\n");
  });

  it("feeds stdin", async () => {
    const r = await run(spec({ command: { argv: ["cat"] }, stdin: "hello\nworld" }));
    expect(r.stdout).toBe("hello\nworld");
  });

  it("feeds bytes and a stream of chunks on stdin", async () => {
    const bytes = await run(
      spec({ command: { argv: ["wc", "-c"] }, stdin: new Uint8Array([0, 255, 10]) }),
    );
    expect(bytes.stdout.trim()).toBe("3");
    async function* chunks() {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, i);
    }
    const streamed = await run(spec({ command: { argv: ["wc", "-c"] }, stdin: chunks() }));
    expect(streamed.stdout.trim()).toBe(String(64 * 64 * 1024));
  });

  it("reports a missing binary as a spawn error", async () => {
    const r = await run(spec({ command: { argv: ["/nonexistent/cairn-nope"] } }));
    expect(r.rc).toBeNull();
    expect(r.spawnError).toMatch(/not found/);
  });

  it("reports a missing cwd as such", async () => {
    const r = await run(spec({ cwd: "/nonexistent/cairn-dir" }));
    expect(r.spawnError).toMatch(/working directory does not exist/);
  });

  it("becomes root directly when already root", async () => {
    if (process.getuid?.() !== 0) return;
    const r = await run(spec({ command: { argv: ["id", "-u"] }, become: true }));
    expect(r.stdout).toBe("0\n");
  });

  it("abort kills the whole group without waiting for a background child", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-t-"));
    const pidFile = join(dir, "bg.pid");
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 1000);
    const r = await run(
      spec({
        command: { shell: `sleep 30 & echo $! > ${pidFile}; sleep 30`, interpreter: "sh" },
        signal: ac.signal,
      }),
    );
    const elapsed = Date.now() - started;
    expect(r.aborted).toBe(true);
    expect(r.signal).toBe("SIGTERM");
    expect(elapsed).toBeLessThan(5000);
    const bg = Number(readFileSync(pidFile, "utf8"));
    await sleep(100);
    expect(alive(bg)).toBe(false);
  });

  it("SIGKILLs a group member that ignores SIGTERM, yet resolves at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-t-"));
    const pidFile = join(dir, "bg.pid");
    const fast = localTransport({ killGraceMs: 500 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const started = Date.now();
    const r = await fast.run(
      spec({
        command: {
          shell: `(trap '' TERM; echo $$ >/dev/null; exec sleep 30) & echo $! > ${pidFile}; sleep 30`,
          interpreter: "sh",
        },
        signal: ac.signal,
      }),
    );
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.aborted).toBe(true);
    const bg = Number(readFileSync(pidFile, "utf8"));
    expect(alive(bg)).toBe(true);
    await sleep(800);
    expect(alive(bg)).toBe(false);
  });

  it("dispose SIGKILLs groups still in their grace period", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-t-"));
    const pidFile = join(dir, "bg.pid");
    const slow = localTransport({ killGraceMs: 60_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await slow.run(
      spec({
        command: {
          shell: `(trap '' TERM; exec sleep 30) & echo $! > ${pidFile}; sleep 30`,
          interpreter: "sh",
        },
        signal: ac.signal,
      }),
    );
    const bg = Number(readFileSync(pidFile, "utf8"));
    expect(alive(bg)).toBe(true);
    slow.dispose?.();
    await sleep(200);
    expect(alive(bg)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it("does not wait for a background child that outlives a successful command", async () => {
    const started = Date.now();
    const r = await run(spec({ command: { shell: "sleep 5 & echo done", interpreter: "sh" } }));
    expect(r.rc).toBe(0);
    expect(r.stdout).toBe("done\n");
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("returns at once when already aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await run(spec({ signal: ac.signal }));
    expect(r).toMatchObject({ aborted: true, rc: null, spawnError: null });
  });
});
