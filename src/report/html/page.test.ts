import { describe, expect, it } from "vitest";
import { plan, planStep } from "../../engine/test-plan.js";
import { modelOf } from "../../journal/testing.js";
import type { RunEventPayload } from "../../model/events.js";
import { ev } from "../testing.js";
import { NODE_LIMIT } from "./dag.js";
import { PAGE_OUTPUT_CAP } from "./details.js";
import { esc } from "./escape.js";
import { renderReport } from "./page.js";
import { ROW_LIMIT } from "./timeline.js";

function report(ids: string[], payloads: RunEventPayload[], names: Record<string, string> = {}) {
  const p = plan(ids.map((id) => planStep(id, { name: names[id] ?? id })));
  return renderReport(modelOf(p, "running", payloads));
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

/** The step table's rows, as the page's script reads them. */
function tableRows(html: string): unknown[][] {
  const m = /<script type="application\/json" id="rows">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as unknown[][];
}

describe("the HTML report", () => {
  it("escapes every name, output line and diff from the run", () => {
    const evil = `<script>alert("x")</script>&'`;
    const html = report(
      ["a"],
      [
        ev.started("a", evil, 1),
        ev.output("a", evil, `</pre><img src=x onerror=alert(1)>`),
        ev.completed("a", evil, "changed", 5, { diff: `+<b>${evil}</b>\n` }),
      ],
    );
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("+<b>");
    expect(html).toContain(esc(evil));
    // One script element: the page's own; the table's data reads back unchanged.
    expect(count(html, /<script>/g)).toBe(1);
    expect(tableRows(html)[0]![1]).toBe(evil);
    expect(html).toContain("default-src 'none'");
  });

  it("draws a bar per step that ran, with its status class, and a row per step in the table", () => {
    const html = report(
      ["a", "b", "c"],
      [
        ev.started("a", "a", 1),
        ev.completed("a", "a", "ok", 5),
        ev.started("b", "b", 2),
        ev.failed("b", "b", "boom", { file: "site.yml", line: 2, column: 3, chain: [] }, 5),
      ],
    );
    expect(count(html, /<g class="bar s-ok/g)).toBe(1);
    expect(count(html, /<g class="bar s-failed/g)).toBe(1);
    expect(tableRows(html).map((r) => [r[1], r[2]])).toEqual([
      ["a", "ok"],
      ["b", "failed"],
      ["c", "pending"],
    ]);
  });

  it(`packs more than ${ROW_LIMIT} steps into lanes and leaves out the graph past ${NODE_LIMIT}`, () => {
    const n = ROW_LIMIT + 100;
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const payloads: RunEventPayload[] = ids.flatMap((id, i) => [
      ev.started(id, id, i + 1),
      ev.completed(id, id, "ok", 100),
    ]);
    const html = report(ids, payloads);
    expect(count(html, /<g class="bar /g)).toBe(n);
    // Sequential steps fit in one lane.
    expect(count(html, /local lane \d+/g)).toBe(1);
    expect(html).not.toContain('<svg id="dag"');
    expect(html).toContain(`The graph of ${n} steps is not drawn`);
  });

  it("gives each host its own lanes in a large run", () => {
    const ids = Array.from({ length: ROW_LIMIT + 2 }, (_, i) => `s${i}`);
    const p = plan(ids.map((id, i) => planStep(id, { target: i % 2 === 0 ? "web1" : "web2" })));
    const payloads: RunEventPayload[] = ids.flatMap((id, i) => [
      ev.started(id, id, i + 1),
      ev.completed(id, id, "ok", 100),
    ]);
    const html = renderReport(modelOf(p, "success", payloads));
    expect(html.match(/>web1 lane \d+</g)).toHaveLength(1);
    expect(html.match(/>web2 lane \d+</g)).toHaveLength(1);
    expect(html).toContain("<dt>hosts</dt><dd>web1, web2</dd>");
  });

  it("keeps the page's output within PAGE_OUTPUT_CAP however much the steps printed", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const line = "y".repeat(60 * 1024);
    const payloads: RunEventPayload[] = ids.flatMap((id, i) => [
      ev.started(id, id, i + 1),
      ev.output(id, id, line),
      ev.completed(id, id, "ok", 1),
    ]);
    const html = report(ids, payloads);
    expect(html.length).toBeLessThan(PAGE_OUTPUT_CAP + 1024 * 1024);
    expect(html).toContain("Output left out");
  });
});
