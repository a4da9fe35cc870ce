/** The plan's `sources` hash bytes: a copy's src is hashed, never read as text; templates and YAML are hashed as read. */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diskView } from "../../src/api/disk-view.js";
import { loadPlaybook } from "../../src/index.js";
import { compileFiles, memoryFs } from "../helpers/memory.js";
import { project } from "../helpers/project.js";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
/** Not UTF-8: decoding and re-encoding it would change the hash. */
const BINARY = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x41]);

describe("plan sources", () => {
  it("holds the sha256 of a copy src's bytes, and of the playbook and template as read", () => {
    const playbook = "- copy: {src: b.bin, dest: /tmp/x}\n- template: {src: t.j2, dest: /tmp/y}\n";
    const dir = project({ "site.yml": playbook, "t.j2": "hi {{ 1 }}\n" });
    writeFileSync(join(dir, "b.bin"), BINARY);
    const loaded = loadPlaybook(join(dir, "site.yml"));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.value.plan.sources).toEqual([
      { path: "b.bin", sha256: sha(BINARY) },
      { path: "site.yml", sha256: sha(playbook) },
      { path: "t.j2", sha256: sha("hi {{ 1 }}\n") },
    ]);
  });

  it("asks the view for a copy src's hash, never its text", () => {
    const files = { "site.yml": "- copy: {src: big.iso, dest: /tmp/x}\n", "big.iso": "" };
    const mem = memoryFs(files);
    const plan = compileFiles(files, {
      fs: {
        ...mem,
        readText: (p) => {
          if (p === "big.iso") throw new Error("read as text");
          return mem.readText(p);
        },
        sha256: (p) => (p === "big.iso" ? "f".repeat(64) : mem.sha256(p)),
      },
    });
    if (!plan.ok) throw new Error(JSON.stringify(plan.error));
    expect(plan.value.sources).toContainEqual({ path: "big.iso", sha256: "f".repeat(64) });
  });

  it("diskView hashes a file it has not read in chunks, the same as one it has", () => {
    const dir = project({ "a.txt": "text\n" });
    writeFileSync(join(dir, "big.bin"), Buffer.alloc(3 * 2 ** 20 + 5, 7));
    const view = diskView(dir);
    expect(view.sha256("big.bin")).toBe(sha(Buffer.alloc(3 * 2 ** 20 + 5, 7)));
    expect(view.readText("a.txt")).toBe("text\n");
    expect(view.sha256("a.txt")).toBe(sha("text\n"));
    expect(view.sha256("missing")).toBeNull();
    expect(view.sha256(".")).toBeNull();
  });
});
