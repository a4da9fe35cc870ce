import { describe, expect, it } from "vitest";
import { cutReads } from "./cut-reads.js";

const names = new Set(["r", "out"]);

describe("cutReads", () => {
  it.each([
    ["r.stdout", ["r"]],
    ["'x' in r.stdout_lines", ["r"]],
    ['r["stderr"] | length', ["r"]],
    ["r | to_json", ["r"]],
    ["out.results | map(attribute='stdout')", ["out"]],
    ["r.rc == 0 and r.changed", []],
    ['r["rc"]', []],
    ["other.stdout", []],
  ])("expression %s reads %j", (src, expected) => {
    expect(cutReads(src, "expression", names)).toEqual(expected);
  });

  it("looks into every expression of a template", () => {
    expect(
      cutReads("rc={{ r.rc }} {% if 'x' in out.stdout %}y{% endif %}", "template", names),
    ).toEqual(["out"]);
    expect(cutReads("no template r.stdout", "template", names)).toEqual([]);
    expect(cutReads("{{ broken", "template", names)).toEqual([]);
  });
});
