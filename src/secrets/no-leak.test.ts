/**
 * For random templates over a secret, no text that src/report/ produces (the plain and
 * JSON reporters, the plan's text, graph and diff) and no journal record contains the
 * secret's raw value — whatever the template computes from it and wherever it is used
 * (a step's name, a printed message, a process's environment echoed to output).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { compileFiles } from "../../test/helpers/memory.js";
import { execute } from "../driver/index.js";
import type { JournalBody, JournalSink } from "../journal/records.js";
import { formatGraph } from "../report/graph.js";
import { jsonReporter } from "../report/json.js";
import { plainReporter } from "../report/plain.js";
import { diffPlans, formatPlanDiff } from "../report/plan-diff.js";
import { formatPlanText } from "../report/plan-text.js";

const FRAGMENTS = [
  "{{ s }}",
  "{{ s | upper }}",
  "{{ s | lower }}",
  "{{ s ~ '-' ~ s }}",
  "{{ s | b64encode }}",
  "{{ s | to_json }}",
  "{{ [s, 'x'] | join(',') }}",
  "{{ s | replace('a', 'b') }}",
  "{{ s[:3] }}{{ s[3:] }}",
  "{{ {'k': s} }}",
  "{{ s | length }}",
  "{{ s | reverse }}",
  "{{ s if s else 'none' }}",
  "plain words",
];

const secretValue = fc
  .array(fc.constantFrom(..."abcdefghijkmnpqrstuvwxyzABCDEFGH23456789+/=&"), {
    minLength: 8,
    maxLength: 24,
  })
  .map((cs) => cs.join(""));

const template = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(" "));

function playbook(tpl: string): string {
  const q = JSON.stringify(tpl);
  return `secrets: {s: {env: CANARY}}
steps:
  - name: ${q}
    print: ${q}
  - name: echo
    shell: echo "$V"; echo "$V" >&2; exit 1
    env: {V: ${q}}
    ignore_errors: true
`;
}

const root = mkdtempSync(join(tmpdir(), "cairn-no-leak-"));

test.prop([secretValue, template], { numRuns: 20 })(
  "no report text and no journal record holds the raw secret",
  async (value, tpl) => {
    const compiled = compileFiles({ "site.yml": playbook(tpl) });
    if (!compiled.ok) throw new Error(compiled.error.map((d) => d.message).join("\n"));
    const plan = compiled.value;
    const texts: string[] = [];
    const out = { write: (s: string) => texts.push(s), isTTY: false };
    const plain = plainReporter(out, { color: false, diff: true, verbose: true });
    const json = jsonReporter(out);
    const records: JournalBody[] = [];
    const journal: JournalSink = { append: (r) => records.push(r), sync: async () => undefined };
    await execute(plan, {
      rootDir: root,
      playbook: "site.yml",
      env: { ...process.env, CANARY: value },
      journal,
      subscribers: [(e) => plain.onEvent(e), (e) => json.onEvent(e)],
      outputDir: join(root, "out"),
    });
    plain.close();
    json.close();
    texts.push(formatPlanText(plan, { color: false }), formatGraph(plan, "mermaid"));
    texts.push(formatPlanDiff(diffPlans(plan, { ...plan, steps: [] }), { color: false }));
    texts.push(...records.map((r) => JSON.stringify(r)));
    const leaks = texts.filter((t) => t.includes(value));
    expect(leaks).toEqual([]);
  },
  120_000,
);
