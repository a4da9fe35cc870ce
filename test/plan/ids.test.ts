/** Slugs of step names: readable, stable, and not only for ASCII names. */
import { describe, expect, it } from "vitest";
import { slugify } from "../../src/plan/ids.js";

describe("slugify", () => {
  it.each([
    ["Install Git!", "install-git"],
    ["  many   spaces ", "many-spaces"],
    ["émoji café", "emoji-cafe"],
    ["Установить пакеты", "установить-пакеты"],
    ["安装软件", "安装软件"],
    ["!!!", "step"],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
