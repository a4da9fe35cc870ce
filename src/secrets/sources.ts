/**
 * Reading a secret from its source (SPEC §1.7), when a step that needs it runs. A
 * failure names the secret and what went wrong (a missing variable, an exit status),
 * never the source's output: a command that fails may well print the secret.
 */
// `fsp.x` read when called, not node:fs/promises imported: in the CLI bundle that loads
// the promises API (and readline with it) at every start, for calls most runs never make.
import { promises as fsp } from "node:fs";
import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import type { SecretSource } from "../model/plan.js";

export class SecretError extends Error {}

/** A source's path: `~/` is the home directory; relative to the playbook's directory. */
function pathOf(file: string, rootDir: string): string {
  const home = file === "~" || file.startsWith("~/") ? homedir() + file.slice(1) : file;
  return isAbsolute(home) ? home : resolve(rootDir, home);
}

export interface SourceContext {
  env: Record<string, string | undefined>;
  /** Relative paths are relative to the root playbook's directory. */
  rootDir: string;
  warn(message: string): void;
}

/** @default 30 s for a `cmd` source. */
const CMD_TIMEOUT_MS = 30_000;

/** A string, or for `sops` the decrypted document (every leaf a secret). */
export async function readSource(
  name: string,
  source: SecretSource,
  ctx: SourceContext,
): Promise<unknown> {
  const fail = (why: string): never => {
    throw new SecretError(`secret '${name}': ${why}`);
  };
  if ("env" in source) {
    const v = ctx.env[source.env];
    return v === undefined ? fail(`environment variable ${source.env} is not set`) : v;
  }
  if ("file" in source) return chomp(await readSecretFile(name, source.file, ctx, fail));
  if ("cmd" in source) {
    const out = await run(source.cmd, source.timeout_ms ?? CMD_TIMEOUT_MS, ctx, fail);
    return chomp(out.toString("utf8"));
  }
  if ("sops" in source) {
    const path = pathOf(source.sops, ctx.rootDir);
    const out = await run(
      ["sops", "--decrypt", "--output-type", "json", path],
      CMD_TIMEOUT_MS,
      ctx,
      fail,
      "sops",
    );
    try {
      return JSON.parse(out.toString("utf8")) as unknown;
    } catch {
      return fail(`sops did not print JSON for ${source.sops}`);
    }
  }
  return chomp(await decryptAge(source, ctx, fail));
}

async function readSecretFile(
  name: string,
  file: string,
  ctx: SourceContext,
  fail: (why: string) => never,
): Promise<string> {
  const path = pathOf(file, ctx.rootDir);
  try {
    const mode = (await fsp.stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0)
      ctx.warn(
        `secret '${name}': ${file} is readable by ${mode & 0o070 ? (mode & 0o007 ? "its group and others" : "its group") : "others"} (mode ${mode.toString(8).padStart(4, "0")}); chmod 600 it`,
      );
    return await fsp.readFile(path, "utf8");
  } catch (e) {
    return fail(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** The value without one trailing newline: `echo x > f` and `pass show` add one. */
function chomp(s: string): string {
  return s.replace(/\r?\n$/, "");
}

/** Runs argv with no shell and stdin closed; stdout, or a failure that names the exit status. */
function run(
  argv: string[],
  timeoutMs: number,
  ctx: SourceContext,
  fail: (why: string) => never,
  tool?: string,
): Promise<Buffer> {
  return new Promise((done, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ["ignore", "pipe", "ignore"],
      env: ctx.env,
      cwd: ctx.rootDir,
    });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const settle = (f: () => void) => {
      clearTimeout(timer);
      try {
        f();
      } catch (e) {
        reject(e);
      }
    };
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (e: NodeJS.ErrnoException) =>
      settle(() =>
        fail(
          e.code === "ENOENT"
            ? tool === "sops"
              ? "sops is not installed (it decrypts SOPS files; see https://github.com/getsops/sops)"
              : `command '${argv[0]}' not found`
            : `command '${argv[0]}' could not start (${e.code ?? e.message})`,
        ),
      ),
    );
    child.on("close", (code, signal) =>
      settle(() => {
        if (timedOut) fail(`command '${argv[0]}' timed out after ${timeoutMs} ms`);
        if (code !== 0)
          fail(
            `command '${argv[0]}' ${signal === null ? `exited with status ${code}` : `was killed by ${signal}`}`,
          );
        done(Buffer.concat(chunks));
      }),
    );
  });
}

async function decryptAge(
  source: { age: string; identity: string },
  ctx: SourceContext,
  fail: (why: string) => never,
): Promise<string> {
  const read = async (file: string) => {
    try {
      return await fsp.readFile(pathOf(file, ctx.rootDir));
    } catch (e) {
      return fail(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  const [data, identityText] = await Promise.all([read(source.age), read(source.identity)]);
  const keys = identityText
    .toString("utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith("AGE-SECRET-KEY-"));
  if (keys.length === 0) fail(`${source.identity} holds no AGE-SECRET-KEY- identity`);
  // Loaded only when an age secret is read: it costs the other runs nothing.
  const age = await import("age-encryption");
  const d = new age.Decrypter();
  for (const k of keys) d.addIdentity(k);
  const text = data.toString("utf8");
  const bytes = text.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")
    ? age.armor.decode(text)
    : new Uint8Array(data);
  try {
    return await d.decrypt(bytes, "text");
  } catch {
    return fail(`cannot decrypt ${source.age} with the identity in ${source.identity}`);
  }
}
