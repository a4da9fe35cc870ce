import { describe, expect, it } from "vitest";
import type { RunEvent } from "../model/events.js";
import { jsonReporter } from "./json.js";
import { ev, FakeOutput, script } from "./testing.js";

function thousandStepRun(): RunEvent[] {
  const payloads = [ev.runStarted(1000)];
  for (let i = 1; i <= 1000; i++) {
    const id = `s${i}`;
    payloads.push(ev.started(id, `Step ${i}`, i), ev.output(id, `Step ${i}`, "hi"));
    payloads.push(ev.completed(id, `Step ${i}`, "ok", 1));
  }
  payloads.push(ev.runCompleted("success", { ok: 1000 }, 5000));
  return script(payloads);
}

describe("jsonReporter", () => {
  it("writes every event as one NDJSON line, in order, and nothing else", () => {
    const events = thousandStepRun();
    const out = new FakeOutput();
    const r = jsonReporter(out);
    for (const e of events) r.onEvent(e);
    r.close();
    const lines = out.text.split("\n");
    expect(lines.pop()).toBe("");
    const parsed = lines.map((l) => JSON.parse(l) as RunEvent);
    expect(parsed).toEqual(events);
    expect(parsed.every((e, i) => i === 0 || e.seq > (parsed[i - 1]?.seq ?? 0))).toBe(true);
    expect(out.writes).toBe(events.length);
  });

  it("still writes an event whose result holds a bigint or a cycle", () => {
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    const [e] = script([ev.completed("s", "S", "ok", 1, { result: cyclic })]);
    const out = new FakeOutput();
    jsonReporter(out).onEvent(e!);
    expect(JSON.parse(out.text)).toMatchObject({ seq: 1, result: { n: "10", self: "[Circular]" } });
  });
});
