import { createHash } from "node:crypto";
import {
  lstatSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FILE_SYSTEMS, runOn, tempDir } from "./test-context.js";

describe.each(FILE_SYSTEMS)("on $name", ({ fs }) => {
  const run = runOn(fs);

  type Handler = (req: IncomingMessage, res: ServerResponse) => void;

  const servers: Server[] = [];

  afterEach(() => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      s.close();
    }
  });

  /** A server on a random local port; `requests` records every request it got. */
  async function serve(handler: Handler) {
    const requests: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      requests.push(req);
      handler(req, res);
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    return { base: `http://127.0.0.1:${port}`, requests };
  }

  /** Serves `body`, answering 304 to any conditional request. */
  const content =
    (body: string): Handler =>
    (req, res) => {
      if (req.headers["if-modified-since"] !== undefined) res.writeHead(304).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end(body);
    };

  const sha = (s: string) => createHash("sha256").update(s).digest("hex");

  describe("download", () => {
    it("downloads to dest with its mode, then uses a conditional GET and keeps it on 304", async () => {
      const { base, requests } = await serve(content("payload\n"));
      const dest = join(tempDir(), "f.txt");
      const args = { url: `${base}/f.txt`, dest, mode: "0640", headers: { "X-Token": "t" } };
      const first = await run("download", args);
      expect(first.failure).toBeNull();
      expect(first.changed).toBe(true);
      expect(first.result).toMatchObject({
        url: `${base}/f.txt`,
        dest,
        status_code: 200,
        checksum: sha("payload\n"),
        msg: "OK (8 bytes)",
      });
      expect(readFileSync(dest, "utf8")).toBe("payload\n");
      expect(statSync(dest).mode & 0o777).toBe(0o640);
      expect(requests[0]?.headers["x-token"]).toBe("t");
      expect(requests[0]?.headers["if-modified-since"]).toBeUndefined();
      const second = await run("download", args);
      expect(second.changed).toBe(false);
      expect(second.result).toMatchObject({ status_code: 304, msg: "not modified" });
      expect(requests[1]?.headers["if-modified-since"]).toBe(statSync(dest).mtime.toUTCString());
    });

    it("makes no request when dest already has the checksum", async () => {
      const { base, requests } = await serve(content("abc"));
      const dest = join(tempDir(), "f");
      const args = { url: `${base}/f`, dest, checksum: `sha256:${sha("abc")}` };
      expect((await run("download", args)).changed).toBe(true);
      const again = await run("download", args);
      expect(again.changed).toBe(false);
      expect(again.result.checksum).toBe(sha("abc"));
      expect(requests).toHaveLength(1);
    });

    it("with force, fetches every time and changes only when the bytes differ", async () => {
      let body = "one";
      const { base, requests } = await serve((_req, res) => res.end(body));
      const dest = join(tempDir(), "f");
      const args = { url: `${base}/f`, dest, force: true };
      expect((await run("download", args)).changed).toBe(true);
      expect((await run("download", args)).changed).toBe(false);
      body = "two";
      const changed = await run("download", args);
      expect(changed.changed).toBe(true);
      expect(changed.diff).toContain("-one");
      expect(readFileSync(dest, "utf8")).toBe("two");
      expect(requests.every((r) => r.headers["if-modified-since"] === undefined)).toBe(true);
    });

    it("fails on a checksum mismatch and leaves dest as it was, with no temp file", async () => {
      const { base } = await serve(content("tampered"));
      const dir = tempDir();
      const dest = join(dir, "f");
      writeFileSync(dest, "old");
      const r = await run("download", { url: `${base}/f`, dest, checksum: sha("expected") });
      expect(r.failure).toEqual({
        reason: "error",
        message: `checksum mismatch: expected sha256:${sha("expected")}, got sha256:${sha("tampered")}`,
      });
      expect(readFileSync(dest, "utf8")).toBe("old");
      expect(readdirSync(dir)).toEqual(["f"]);
    });

    it("on a checksum mismatch with no dest yet, leaves neither dest nor a temp file", async () => {
      const { base } = await serve(content("tampered"));
      const dir = tempDir();
      const r = await run("download", {
        url: `${base}/f`,
        dest: join(dir, "f"),
        checksum: `md5:${createHash("md5").update("expected").digest("hex")}`,
      });
      const actual = createHash("md5").update("tampered").digest("hex");
      expect(r.failure?.message).toBe(
        `checksum mismatch: expected md5:${createHash("md5").update("expected").digest("hex")}, got md5:${actual}`,
      );
      expect(readdirSync(dir)).toEqual([]);
    });

    it("refuses a body above max_size, declared or streamed, and leaves no temp file", async () => {
      const { base } = await serve((req, res) => {
        // /chunked sends no Content-Length, so only counting the bytes can stop it.
        if (req.url === "/chunked") res.writeHead(200, { "transfer-encoding": "chunked" });
        res.end("0123456789");
      });
      const dir = tempDir();
      const dest = join(dir, "f");
      const declared = await run("download", { url: `${base}/f`, dest, max_size: 9 });
      expect(declared.failure?.message).toBe(
        `${base}/f is 10 bytes, more than max_size (9 bytes); raise max_size to accept it`,
      );
      const streamed = await run("download", { url: `${base}/chunked`, dest, max_size: "9" });
      expect(streamed.failure?.message).toBe(
        `${base}/chunked sent more than max_size (9 bytes); raise max_size to accept it`,
      );
      expect(readdirSync(dir)).toEqual([]);
      const fits = await run("download", { url: `${base}/chunked`, dest, max_size: "1K" });
      expect(fits.failure).toBeNull();
      expect(readFileSync(dest, "utf8")).toBe("0123456789");
      const bad = await run("download", { url: `${base}/f`, dest, max_size: "lots" });
      expect(bad.failure?.message).toBe(
        "download: 'max_size' must be a size such as 500MB or 10GiB",
      );
    });

    it("removes the temp file when the timeout or a cancel stops the body half-way", async () => {
      // Sends part of the body, then stalls.
      const { base } = await serve((_req, res) => {
        res.writeHead(200, { "content-length": "1000000" });
        res.write(Buffer.alloc(100_000, 1));
      });
      const dir = tempDir();
      const dest = join(dir, "f");
      const timedOut = await run("download", { url: `${base}/f`, dest, timeout: "300ms" });
      expect(timedOut.failure?.reason).toBe("timeout");
      const cancel = new AbortController();
      const cancelled = run("download", { url: `${base}/f`, dest }, "apply", {
        signal: cancel.signal,
      });
      setTimeout(() => cancel.abort(), 300);
      expect((await cancelled).failure?.reason).toBe("killed");
      expect(readdirSync(dir)).toEqual([]);
    });

    it("writes through a symlinked dest to its target, with its mode", async () => {
      const { base } = await serve((_req, res) => res.end("body"));
      const dir = tempDir();
      writeFileSync(join(dir, "real"), "old");
      symlinkSync("real", join(dir, "link"));
      const r = await run("download", { url: `${base}/f`, dest: join(dir, "link"), mode: "0600" });
      expect(r.changed).toBe(true);
      expect(readFileSync(join(dir, "real"), "utf8")).toBe("body");
      expect(lstatSync(join(dir, "link")).isSymbolicLink()).toBe(true);
      expect(statSync(join(dir, "real")).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir).sort()).toEqual(["link", "real"]);
    });

    it("follows redirects, dropping credentials when the origin changes", async () => {
      const far = await serve((_req, res) => res.end("moved body"));
      const near = await serve((req, res) => {
        if (req.url === "/a") res.writeHead(301, { location: "/b" }).end();
        else res.writeHead(302, { location: `${far.base}/c` }).end();
      });
      const dest = join(tempDir(), "f");
      const headers = { Authorization: "Bearer s3cret", "X-Trace": "t" };
      const r = await run("download", { url: `${near.base}/a`, dest, headers });
      expect(r.failure).toBeNull();
      expect(readFileSync(dest, "utf8")).toBe("moved body");
      expect(near.requests.map((q) => [q.url, q.headers.authorization])).toEqual([
        ["/a", "Bearer s3cret"],
        ["/b", "Bearer s3cret"],
      ]);
      expect(far.requests[0]?.headers.authorization).toBeUndefined();
      expect(far.requests[0]?.headers["x-trace"]).toBe("t");
    });

    it("makes no request when dest's directory is missing", async () => {
      const { base, requests } = await serve(content("x"));
      const dest = join(tempDir(), "no", "f");
      const r = await run("download", { url: `${base}/f`, dest });
      expect(r.failure?.message).toBe(`parent directory does not exist: ${join(dest, "..")}`);
      expect(requests).toHaveLength(0);
    });

    it("fails with the HTTP status of an error response", async () => {
      const { base } = await serve((_req, res) => res.writeHead(404).end("no"));
      const dest = join(tempDir(), "f");
      const r = await run("download", { url: `${base}/missing`, dest });
      expect(r.failure).toEqual({
        reason: "error",
        message: `HTTP 404 Not Found from ${base}/missing`,
      });
      expect(r.result.status_code).toBe(404);
    });

    it("times out on a server that never answers", async () => {
      const { base } = await serve(() => {});
      const r = await run("download", {
        url: `${base}/slow`,
        dest: join(tempDir(), "f"),
        timeout: "200ms",
      });
      expect(r.failure).toEqual({
        reason: "timeout",
        message: `timed out after 200 ms downloading ${base}/slow`,
      });
    });

    it("reports a cancel as a kill", async () => {
      const { base } = await serve(() => {});
      const r = await run("download", { url: `${base}/x`, dest: join(tempDir(), "f") }, "apply", {
        signal: AbortSignal.abort(),
      });
      expect(r.failure?.reason).toBe("killed");
    });

    it("makes no request in a dry run", async () => {
      const { base, requests } = await serve(content("abc"));
      const dir = tempDir();
      const dest = join(dir, "f");
      const check = await run("download", { url: `${base}/f`, dest }, "check");
      expect(check.changed).toBe(true);
      expect(check.result.msg).toBe(`would download ${base}/f`);
      expect(readdirSync(dir)).toEqual([]);
      writeFileSync(dest, "abc");
      const known = await run(
        "download",
        { url: `${base}/f`, dest, checksum: sha("abc") },
        "check",
      );
      expect(known.changed).toBe(false);
      expect(requests).toHaveLength(0);
    });

    it("saves into a directory dest under the URL's file name", async () => {
      const { base } = await serve(content("z"));
      const dir = tempDir();
      const r = await run("download", { url: `${base}/pkg/tool-1.2.tgz?x=1`, dest: dir });
      expect(r.result.dest).toBe(join(dir, "tool-1.2.tgz"));
      expect(readFileSync(join(dir, "tool-1.2.tgz"), "utf8")).toBe("z");
    });

    it("refuses a bad url or checksum before any request", async () => {
      const dest = join(tempDir(), "f");
      const ftp = await run("download", { url: "ftp://example.com/f", dest });
      expect(ftp.failure?.message).toBe(
        "download: 'url' must be http or https: ftp://example.com/f",
      );
      const sum = await run("download", {
        url: "http://127.0.0.1:1/f",
        dest,
        checksum: "sha256:abc",
      });
      expect(sum.failure?.message).toMatch(/^download: invalid checksum "sha256:abc"/);
    });
  });
});
