import { describe, expect, it } from "vitest";
import { plan, planStep } from "../../engine/test-plan.js";
import { modelOf } from "../../journal/testing.js";
import type { RunEventPayload } from "../../model/events.js";
import { ev } from "../testing.js";
import { NODE_LIMIT } from "./dag.js";
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
});
