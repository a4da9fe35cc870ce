#!/usr/bin/env node
/**
 * The file `cairn` starts (bundled by scripts/build-cli.mjs into dist/cli/main.js). It
 * answers `cairn --version` from a constant inlined at build time, so that the most
 * frequent probe costs little more than Node's own start; for every other command it
 * loads the CLI bundle (dist/cli/cairn.cjs: main.ts and all it imports) through V8's
 * code cache (code-cache.ts), and the bundle initializes only the modules the command
 * uses.
 *
 * It is built as CommonJS (dist/cli/package.json says so): an ES module entry makes Node
 * load its ESM loader (~10 modules of its own) before the first line runs.
 */
import { fileURLToPath } from "node:url";
import { cacheDirectory, commandKey, loadBundle } from "./code-cache.js";
import { traceModules } from "./module-trace.js";

declare const CAIRN_VERSION: string;
declare const CAIRN_BUNDLE_HASH: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${CAIRN_VERSION}\n`);
} else {
  traceModules(process.env.CAIRN_MODULE_TRACE);
  const bundle = fileURLToPath(new URL("./cairn.cjs", import.meta.url));
  const dir = cacheDirectory(process.env);
  const cli = loadBundle(bundle, CAIRN_BUNDLE_HASH, dir, commandKey(args));
  // main() reports its own failures (exit code 70); this entry is CommonJS (no top-level
  // await), and Node keeps running until the promise settles.
  void (cli.main as () => Promise<void>)();
}
