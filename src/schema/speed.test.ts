// Validation stays cheap next to parsing: 10,000 steps in a fraction of the YAML parse.
import { expect, it } from "vitest";
import { parseYaml } from "../load/index.js";
import { validatePlaybook } from "./validate.js";

const STEPS = 10_000;
const text = Array.from(
  { length: STEPS },
  (_, i) =>
    `- name: step ${i}\n  shell: echo ${i}\n  tags: [a, b]\n  when: x == ${i}\n  timeout: 30s\n  register: r${i}\n`,
).join("");

it("validates 10,000 steps in less time than parsing them", () => {
  const loaded = parseYaml({ path: "big.yml", text });
  if (!loaded.ok) throw new Error("parse failed");
  const t0 = performance.now();
  parseYaml({ path: "big.yml", text });
  const parse = performance.now() - t0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t1 = performance.now();
    const r = validatePlaybook(loaded.value);
    best = Math.min(best, performance.now() - t1);
    expect(r.ok && r.value.steps.length).toBe(STEPS);
  }
  expect(best).toBeLessThan(parse);
});
