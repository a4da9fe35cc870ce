#!/usr/bin/env node
/**
 * The file `cairn` starts (bundled by scripts/build-cli.mjs into dist/cli/main.js). It
 * answers `cairn --version` from a constant inlined at build time, so that the most
 * frequent probe costs little more than Node's own start; everything else — commander,
 * the wiring in main.ts, and then only the command that runs — is imported on demand.
 *
 * On Node 22.1+ the chunks are compiled through Node's on-disk compile cache
 * (`module.enableCompileCache`): compiling them was the largest single cost of a small
 * `cairn run`. Node 20 has no such cache; there this is a no-op.
 */
import * as nodeModule from "node:module";

declare const CAIRN_VERSION: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${CAIRN_VERSION}\n`);
} else {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  await import("./main.js");
}
