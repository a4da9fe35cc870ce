/** Reading launchctl's answers: `print-disabled` in the formats of macOS 11+ and before, and labels. */
import { describe, expect, it } from "vitest";
import { defaultPlist, isDisabled, launchdLabel } from "./launchd.js";

describe("launchd", () => {
  it("reads print-disabled as macOS 11+ (enabled/disabled) and earlier (false/true) print it", () => {
    const now = 'disabled services = {\n\t"com.a" => disabled\n\t"com.b" => enabled\n}\n';
    expect(isDisabled(now, "com.a")).toBe(true);
    expect(isDisabled(now, "com.b")).toBe(false);
    expect(isDisabled(now, "com.c")).toBe(false);
    const before = 'disabled services = {\n\t"com.a" => true\n\t"com.b" => false\n}\n';
    expect(isDisabled(before, "com.a")).toBe(true);
    expect(isDisabled(before, "com.b")).toBe(false);
    expect(isDisabled(now, "com")).toBe(false);
  });

  it("takes a label as the plist's name, and refuses what cannot be one", () => {
    expect(defaultPlist("homebrew.mxcl.postgresql@14", "gui/501")).toBe(
      "~/Library/LaunchAgents/homebrew.mxcl.postgresql@14.plist",
    );
    expect(defaultPlist("org.x", "system")).toBe("/Library/LaunchDaemons/org.x.plist");
    for (const bad of ["a/b", "a b", "-x"])
      expect(() => launchdLabel(bad)).toThrow(/launchd label/);
  });
});
