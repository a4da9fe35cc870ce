/** Tag selection as Ansible does it (always, never, all, tagged, untagged, --skip-tags). */
import { describe, expect, it } from "vitest";
import { tagFilterReason } from "../../src/plan/tags.js";

const runs = (tags: string[], select: string[], skip: string[] = []) =>
  tagFilterReason(tags, select, skip) === null;

describe("tag selection", () => {
  it("runs everything but never-tagged steps without --tags", () => {
    expect(runs([], [])).toBe(true);
    expect(runs(["a"], [])).toBe(true);
    expect(runs(["never"], [])).toBe(false);
  });
  it("runs selected and always-tagged steps with --tags", () => {
    expect(runs(["a"], ["a"])).toBe(true);
    expect(runs(["b"], ["a"])).toBe(false);
    expect(runs([], ["a"])).toBe(false);
    expect(runs(["always"], ["a"])).toBe(true);
  });
  it("runs a never-tagged step when one of its tags, or never itself, is selected", () => {
    expect(runs(["never", "debug"], ["debug"])).toBe(true);
    expect(runs(["never", "debug"], ["never"])).toBe(true);
    expect(runs(["never", "debug"], ["other"])).toBe(false);
  });
  it("understands all, tagged and untagged", () => {
    expect(runs(["a"], ["all"])).toBe(true);
    expect(runs([], ["untagged"])).toBe(true);
    expect(runs(["a"], ["tagged"])).toBe(true);
    expect(runs([], ["tagged"])).toBe(false);
  });
  it("lets --skip-tags win, even over always", () => {
    expect(runs(["a"], [], ["a"])).toBe(false);
    expect(runs(["always"], ["x"], ["always"])).toBe(false);
  });
});
