/**
 * Reading secrets from their sources: values as the source gives them (one trailing
 * newline dropped), and failures that name the secret and the cause — never the
 * source's output, which may hold the secret.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as age from "age-encryption";
import { describe, expect, it } from "vitest";
import type { SecretSource } from "../model/plan.js";
import { readSource, SecretError } from "./sources.js";
import { Vault } from "./vault.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-secrets-"));

async function read(source: SecretSource, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  const value = await readSource("db", source, {
    env,
    rootDir: dir,
    warn: (w) => warnings.push(w),
  });
  return { value, warnings };
}

async function failure(source: SecretSource): Promise<string> {
  const e = await read(source).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SecretError);
  return (e as Error).message;
}

describe("secret sources", () => {
  it("env: the variable's value; a missing one is named", async () => {
    expect((await read({ env: "PW" }, { PW: "s3cret-value" })).value).toBe("s3cret-value");
    expect(await failure({ env: "NOPE" })).toBe(
      "secret 'db': environment variable NOPE is not set",
    );
  });

  it("file: one trailing newline dropped; a file others can read is a warning", async () => {
    writeFileSync(join(dir, "pw"), "line one\nline two\n\n");
    chmodSync(join(dir, "pw"), 0o600);
    expect(await read({ file: "pw" })).toEqual({ value: "line one\nline two\n", warnings: [] });
    chmodSync(join(dir, "pw"), 0o644);
    expect((await read({ file: "pw" })).warnings).toEqual([
      "secret 'db': pw is readable by its group and others (mode 0644); chmod 600 it",
    ]);
    expect(await failure({ file: "missing" })).toBe("secret 'db': cannot read missing (ENOENT)");
  });

  it("cmd: argv without a shell, stdin closed; a failure names the exit status, not the output", async () => {
    expect((await read({ cmd: ["printf", "%s\\n", "a b;$(x)"] })).value).toBe("a b;$(x)");
    expect((await read({ cmd: ["cat"] })).value).toBe("");
    const msg = await failure({ cmd: ["sh", "-c", "echo leaked-value; exit 3"] });
    expect(msg).toBe("secret 'db': command 'sh' exited with status 3");
    expect(await failure({ cmd: ["no-such-command-xyz"] })).toBe(
      "secret 'db': command 'no-such-command-xyz' not found",
    );
    expect(await failure({ cmd: ["sleep", "5"], timeout_ms: 100 })).toBe(
      "secret 'db': command 'sleep' timed out after 100 ms",
    );
  });

  it("age: decrypts an armored file with the identity; a wrong identity is named", async () => {
    const identity = await age.generateIdentity();
    const e = new age.Encrypter();
    e.addRecipient(await age.identityToRecipient(identity));
    writeFileSync(join(dir, "s.age"), age.armor.encode(await e.encrypt("age-secret\n")));
    writeFileSync(join(dir, "key"), `# key\n${identity}\n`);
    writeFileSync(join(dir, "other"), `${await age.generateIdentity()}\n`);
    expect((await read({ age: "s.age", identity: "key" })).value).toBe("age-secret");
    expect(await failure({ age: "s.age", identity: "other" })).toBe(
      "secret 'db': cannot decrypt s.age with the identity in other",
    );
  });

  it("the vault reads each secret once, only when asked, and masks what it read", async () => {
    writeFileSync(join(dir, "count"), "");
    const vault = new Vault(
      { n: { cmd: ["sh", "-c", `echo x >> ${join(dir, "count")}; echo counted-secret`] } },
      { env: process.env, rootDir: dir },
    );
    expect(vault.masker.size).toBe(0);
    await vault.resolve(["n"], () => undefined);
    await vault.resolve(["n"], () => undefined);
    expect(readFileSync(join(dir, "count"), "utf8")).toBe("x\n");
    expect(vault.masker.mask("got counted-secret")).toBe("got «secret:n»");
  });

  it("a secret under 4 characters is refused with a warning, not masked", async () => {
    const vault = new Vault({ s: { env: "S" } }, { env: { S: "abc" }, rootDir: dir });
    const warnings: string[] = [];
    await vault.resolve(["s"], (w) => warnings.push(w));
    expect(warnings[0]).toMatch(/^secret 's' is shorter than 4 characters: it is not masked/);
    expect(vault.masker.mask("abc")).toBe("abc");
  });
});
