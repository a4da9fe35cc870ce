/**
 * Loads the CLI bundle (dist/cli/cairn.cjs) through V8's code cache, so that a small
 * `cairn run` does not parse and compile the same 1.2 MB of JavaScript at every start.
 *
 * Why by hand: compiling the bundle was the largest single cost of a one-step run, and
 * Node 20 has no compile cache for modules (`module.enableCompileCache` came in 22.1) and
 * no code cache for ES modules at all. A CommonJS script compiled with `vm.Script` takes
 * V8's `cachedData`, and `createCachedData()` taken when the command ends also holds the
 * functions the command compiled lazily: the next start deserializes them instead.
 *
 * Decisions:
 * - One cache file per command (`run`, `plan`, …), so each holds what that command uses.
 * - Files live in `$CAIRN_CACHE_DIR`, else `$XDG_CACHE_HOME/cairn`, else `~/.cache/cairn`;
 *   never in a shared temporary directory, where another user could plant code. The
 *   name carries the bundle's hash, Node's version and the architecture; V8 rejects a
 *   cache that does not fit its source or flags anyway, and a rejected one is rewritten.
 * - `CAIRN_CODE_CACHE=0` turns it off. A cache that cannot be read or written is
 *   ignored silently: it only makes starts faster, never changes what a command does.
 * - Written once (when missing or rejected), at exit, to a temporary name then renamed,
 *   so concurrent starts never read half a file. The directory keeps the 48 newest files:
 *   rebuilding does not pile files up, and two installed versions of cairn used in turn
 *   keep their own caches instead of deleting each other's.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

type Env = Record<string, string | undefined>;

/** The directory cache files go to, or null when caching is off or there is no home. */
export function cacheDirectory(env: Env): string | null {
  if (env.CAIRN_CODE_CACHE === "0") return null;
  if (env.CAIRN_CACHE_DIR) return env.CAIRN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "cairn");
  let home: string;
  try {
    home = homedir();
  } catch {
    return null;
  }
  return home ? join(home, ".cache", "cairn") : null;
}

/** A command name fit for a file name: the first word that is not an option. */
export function commandKey(args: readonly string[]): string {
  const word = args.find((a) => !a.startsWith("-")) ?? "none";
  return /^[a-z][a-z-]{0,30}$/.test(word) ? word : "other";
}

function readCache(file: string | null): Buffer | undefined {
  if (file === null) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Cache files kept in the directory: the newest, by when they were written. */
const KEEP = 48;

function writeCache(dir: string, file: string, data: Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
    const caches = readdirSync(dir)
      .filter((name) => name.startsWith("cli-") && name.endsWith(".bin"))
      .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of caches.slice(KEEP)) unlinkSync(old.path);
  } catch {
    // A cache is an optimization: a read-only home or a full disk changes nothing else.
  }
}

/**
 * Runs the CommonJS bundle at `file` (its hash is `bundleHash`) and returns its exports.
 * The code cache is used when `dir` is not null.
 */
export function loadBundle(
  file: string,
  bundleHash: string,
  dir: string | null,
  command: string,
): Record<string, unknown> {
  const name = `cli-${bundleHash}-${process.version}-${process.arch}-${command}.bin`;
  const cacheFile = dir === null ? null : join(dir, name);
  const cachedData = readCache(cacheFile);
  // Node's CommonJS wrapper, on the first line so that line numbers stay the file's.
  // Read as latin1: the build makes the bundle pure ASCII (scripts/build-cli.mjs checks),
  // and decoding a megabyte as UTF-8 cost more here than the read itself.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, "latin1")}\n});`;
  const script = new Script(source, { filename: file, cachedData });
  if (
    dir !== null &&
    cacheFile !== null &&
    (cachedData === undefined || script.cachedDataRejected)
  ) {
    // At exit, so that the functions this command compiled are in the cache too; and only
    // after a command that did its work (exit 0, or 1: steps failed), because the cache is
    // kept until it is rejected: one made by `cairn run typo.yml` would hold little more
    // than the argument parser, and every later run would compile the rest again.
    process.once("exit", (code) => {
      // EXIT.ok and EXIT.failed (exit.ts, not imported: this file is the small entry's).
      if (code === 0 || code === 1) writeCache(dir, cacheFile, script.createCachedData());
    });
  }
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}
