import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FILE_SYSTEMS, run, runOn, tempDir } from "./test-context.js";

describe("assert", () => {
  it("passes when every expression is truthy", async () => {
    const out = await run("assert", { that: ["x"] });
    expect(out).toMatchObject({ changed: false, failure: null });
  });

  it("fails on a falsy expression, with msg or a default message", async () => {
    expect((await run("assert", { that: ["x", "empty"] })).failure).toEqual({
      reason: "error",
      message: "assertion failed: empty",
    });
    expect((await run("assert", { that: "empty", msg: "nope" })).failure?.message).toBe("nope");
    expect((await run("assert", { that: "missing" })).failure?.message).toMatch(
      /cannot evaluate 'missing'/,
    );
  });

  it("checks a command's exit code, but not in check mode", async () => {
    const dir = tempDir();
    expect((await run("assert", { command: { cmd: "exit 2", exit_code: 2 } })).failure).toBeNull();
    expect((await run("assert", { command: { cmd: "exit 1" } })).failure?.message).toMatch(
      /exited with 1/,
    );
    const check = await run("assert", { command: { cmd: `touch ${dir}/t; exit 1` } }, "check");
    expect(check.failure).toBeNull();
    expect(existsSync(`${dir}/t`)).toBe(false);
  });

  it("checks an http status and body", async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === "/ok" ? 200 : 404;
      res.end("pong");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(
        (await run("assert", { http: { url: `${base}/ok`, contains: "pong" } })).failure,
      ).toBeNull();
      expect((await run("assert", { http: { url: `${base}/x` } })).failure?.message).toMatch(
        /returned 404/,
      );
      expect((await run("assert", { http: { url: `${base}/x`, status: 404 } })).failure).toBeNull();
    } finally {
      server.close();
    }
  });
});

describe("wait", () => {
  it("times out", async () => {
    const out = await run("wait", { command: "exit 1", timeout: "300ms", interval: "100ms" });
    expect(out.failure?.reason).toBe("timeout");
  });

  it("cuts off a try that outlasts the timeout, instead of waiting for it", async () => {
    const started = Date.now();
    const out = await run("wait", { command: "sleep 5", timeout: "500ms" });
    expect(out.failure?.reason).toBe("timeout");
    // The bound is the behaviour under test (a 5 s command must not hold a 0.5 s wait).
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("keeps trying until the timeout when the interval is longer than the time left", async () => {
    const path = join(tempDir(), "late");
    setTimeout(() => writeFileSync(path, ""), 1200);
    const out = await run("wait", { file_exists: path, timeout: "1500ms", interval: "1s" });
    expect(out.failure).toBeNull();
  });

  it("waits for a port", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const out = await run("wait", { port, host: "127.0.0.1", timeout: "2s" });
      expect(out.failure).toBeNull();
    } finally {
      server.close();
    }
  });

  it("does not wait in check mode", async () => {
    const out = await run("wait", { file_exists: "/nonexistent/x", timeout: "10s" }, "check");
    expect(out).toMatchObject({ changed: false, failure: null });
  });
});

describe.each(FILE_SYSTEMS)("file forms on $name", ({ fs }) => {
  const run = runOn(fs);

  it("checks a file's existence, content and mode", async () => {
    const path = join(tempDir(), "f");
    writeFileSync(path, "hello world", { mode: 0o600 });
    expect(
      (await run("assert", { file: { path, contains: "world", mode: "0600" } })).failure,
    ).toBeNull();
    expect((await run("assert", { file: { path, contains: "mars" } })).failure?.message).toMatch(
      /does not contain/,
    );
    expect((await run("assert", { file: { path, mode: "0644" } })).failure?.message).toMatch(
      /mode 0600/,
    );
    expect((await run("assert", { file: { path, exists: false } })).failure?.message).toMatch(
      /exists/,
    );
  });

  it("waits for a file to appear", async () => {
    const path = join(tempDir(), "ready");
    setTimeout(() => writeFileSync(path, ""), 150);
    const out = await run("wait", { file_exists: path, timeout: "5s", interval: "50ms" });
    expect(out).toMatchObject({ changed: false, failure: null });
  });
});
