/**
 * `--otel` through the built CLI against a loopback OTLP/HTTP receiver started here:
 * the spans that arrive (OTLP JSON) nest as the run did — run, host, block, step
 * attempts — carry the step's attributes and a retry event, and have the journal's
 * times. A run without tracing sends nothing.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { project } from "../helpers/project.js";

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  events: { name: string; attributes: { key: string; value: OtlpValue }[] }[];
  status: { code: number; message?: string };
}

const received: { contentType: string; spans: OtlpSpan[] }[] = [];
/** Requests that came as protobuf, kept as bytes (their strings are verbatim in them). */
const protobufBodies: { contentType: string; body: Buffer }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => {
    chunks.push(c);
  });
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    if (String(req.headers["content-type"]).includes("protobuf")) {
      protobufBodies.push({ contentType: String(req.headers["content-type"]), body: raw });
      res.writeHead(200, { "content-type": "application/x-protobuf" });
      res.end();
      return;
    }
    const body = raw.toString();
    const doc = JSON.parse(body) as {
      resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
    };
    const spans = doc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    received.push({ contentType: String(req.headers["content-type"]), spans });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
let endpoint = "";

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Runs the CLI without blocking this process (the receiver lives in it). */
function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "1", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return (
    v?.stringValue ?? v?.boolValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue))
  );
};
const ms = (nanos: string) => Number(BigInt(nanos) / 1_000_000n);

const SITE = `steps:
  - name: prepare
    shell: 'true'
  - name: flaky
    shell: "test -f .flag || { touch .flag; exit 1; }"
    retry: {attempts: 3, delay: 100ms}
  - block:
      - name: deploy
        shell: exit 3
    rescue:
      - name: roll back
        shell: echo rolled back
`;

describe("OpenTelemetry export", () => {
  it("sends the run as nested spans with the journal's times and a retry event", async () => {
    const dir = project({ "site.yml": SITE });
    const state = join(dir, "state");
    received.length = 0;
    expect((await run(["run", "site.yml"], dir, { CAIRN_STATE_DIR: state })).code).toBe(0);
    expect(received).toHaveLength(0);
    rmSync(join(dir, ".flag"));

    const traced = await run(["run", "site.yml", "--otel", "--run-id", "traced"], dir, {
      CAIRN_STATE_DIR: state,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    expect(traced).toEqual({ code: 0, stderr: "" });
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]!.contentType).toContain("application/json");
    const spans = received.flatMap((r) => r.spans);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (s: OtlpSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const stepSpans = (id: string) => spans.filter((s) => attr(s, "cairn.step_id") === id);

    const roots = spans.filter((s) => parentOf(s) === undefined);
    expect(roots.map((s) => s.name)).toEqual(["cairn run site.yml"]);
    const host = spans.find((s) => s.name === "host local")!;
    expect(parentOf(host)).toBe(roots[0]);

    const [prepare] = stepSpans("prepare");
    expect(parentOf(prepare!)).toBe(host);
    expect(attr(prepare!, "cairn.action")).toBe("shell");
    expect(attr(prepare!, "cairn.origin")).toBe("site.yml:2:5");
    expect(attr(prepare!, "cairn.changed")).toBe(true);
    expect(attr(prepare!, "cairn.host")).toBe("local");

    // Two attempts of flaky: the first failed and carries the retry event.
    const flaky = stepSpans("flaky").sort(
      (a, b) => ms(a.startTimeUnixNano) - ms(b.startTimeUnixNano),
    );
    expect(flaky.map((s) => attr(s, "cairn.attempt"))).toEqual([1, 2]);
    expect(flaky[0]!.events.map((e) => e.name)).toEqual(["retry"]);
    expect(flaky[0]!.status.code).toBe(2);
    expect(flaky[1]!.status.code).not.toBe(2);

    // deploy and roll back sit under their block's span, under the host.
    const [deploy] = stepSpans("deploy");
    const [rollBack] = stepSpans("roll-back");
    const block = parentOf(deploy!)!;
    expect(block.name).toMatch(/^block /);
    expect(parentOf(rollBack!)).toBe(block);
    expect(parentOf(block)).toBe(host);
    expect(deploy!.status.code).toBe(2);
    expect(attr(deploy!, "cairn.rescued")).toBe(true);

    // The times are the journal's: each attempt span starts at its step.started event.
    // Named: two runs started in the same second do not sort by time.
    const journal = readFileSync(join(state, "runs", "traced", "events.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map(
        (l) =>
          JSON.parse(l) as {
            rec: string;
            event?: { type: string; step_id?: string; attempt?: number; ts: string };
          },
      );
    const started = journal.flatMap((r) => (r.event?.type === "step.started" ? [r.event] : []));
    for (const e of started) {
      const span = stepSpans(e.step_id!).find((s) => attr(s, "cairn.attempt") === e.attempt)!;
      expect(ms(span.startTimeUnixNano), `${e.step_id} attempt ${e.attempt}`).toBe(
        Date.parse(e.ts),
      );
    }
    // Children lie within their parents.
    for (const s of spans) {
      const p = parentOf(s);
      if (p === undefined) continue;
      expect(ms(s.startTimeUnixNano)).toBeGreaterThanOrEqual(ms(p.startTimeUnixNano));
      expect(ms(s.endTimeUnixNano)).toBeLessThanOrEqual(ms(p.endTimeUnixNano));
    }
  }, 60_000);

  it("warns, and keeps the run's outcome, when nothing listens", async () => {
    const dir = project({ "site.yml": "- shell: 'true'\n" });
    const r = await run(["run", "site.yml", "--otel", "--no-journal"], dir, {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
      OTEL_EXPORTER_OTLP_TIMEOUT: "2000",
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: the trace was not exported: /m);
  }, 60_000);

  it("sends protobuf when OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", async () => {
    const dir = project({ "site.yml": SITE });
    protobufBodies.length = 0;
    const traced = await run(["run", "site.yml"], dir, {
      CAIRN_STATE_DIR: join(dir, "state"),
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    });
    expect(traced).toEqual({ code: 0, stderr: "" });
    expect(protobufBodies.length).toBeGreaterThan(0);
    expect(protobufBodies[0]!.contentType).toBe("application/x-protobuf");
    const bytes = Buffer.concat(protobufBodies.map((b) => b.body));
    // Not JSON, and the spans' strings are there (protobuf keeps strings as UTF-8 bytes).
    expect(bytes.subarray(0, 1).toString()).not.toBe("{");
    for (const text of ["cairn run site.yml", "host local", "cairn.step_id", "prepare"])
      expect(bytes.includes(Buffer.from(text)), text).toBe(true);
  });
});
