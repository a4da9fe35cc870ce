// Bundles the CLI into dist/cli/ with esbuild (run by `npm run build` after tsc).
//
// Why: Node's ESM loader opened ~380 files (zod, yaml, commander, our own modules one by
// one) before `cairn run` did any work, and then compiled them all at every start.
// Two outputs:
// - dist/cli/cairn.cjs: src/cli/main.ts and everything it imports, one CommonJS script.
//   CommonJS because only a classic script can be compiled through V8's code cache on
//   Node 20 (src/cli/code-cache.ts); each command's module, imported with `await
//   import()`, is initialized only when that command runs (esbuild turns the import into
//   a lazy init), so `cairn plan` never initializes the engine.
// - dist/cli/main.js (the `bin`, src/cli/entry.ts): answers `--version` alone, else
//   loads cairn.cjs through the code cache. The bundle's hash is inlined into it, so a
//   cache never outlives the build it was made from.
//
// tsc still compiles src/ for the library (dist/index.js + .d.ts) and type-checks src/cli;
// its per-file output under dist/cli/ is replaced here by the bundle, which sits at the
// depth of the files it replaces because some modules find package.json at
// `new URL("../../package.json", import.meta.url)`.
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * zod's `z` namespace re-exports every locale (`z.locales`), so all 64 of them (~260 kB,
 * half of zod) were parsed at each start although only English is ever configured
 * (zod does `config(en())` itself, and cairn never reads `z.locales`).
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "../locales/index.js"), namespace: "zod-en" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Ends every module of src/ with a call of the module trace (src/cli/module-trace.ts), so
 * that `CAIRN_MODULE_TRACE` can tell which modules a command initialized.
 */
const moduleTrace = {
  name: "module-trace",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = relative(root, args.path).split("\\").join("/");
      const text = readFileSync(args.path, "utf8");
      return {
        contents: `${text}\n;globalThis.__cairnModuleTrace?.(${JSON.stringify(source)});\n`,
        loader: "ts",
      };
    });
  },
};

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, "dist/cli");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const common = {
  absWorkingDir: root,
  outdir: out,
  bundle: true,
  platform: "node",
  target: "node20",
  // Less to read and parse at each start.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
};

rmSync(out, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [{ in: "src/cli/main.ts", out: "cairn" }],
  // Short local names: less to read at each start (0.72x the bytes) and a smaller code
  // cache to load. An internal error's stack trace then names minified functions: its
  // positions map back through dist/cli/cairn.cjs.map. CAIRN_BUILD_NAMES=1 keeps the
  // names (for a CPU profile).
  minifyIdentifiers: process.env.CAIRN_BUILD_NAMES !== "1",
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  supported: {
    // Node 20 (V8 11.3) has the RegExp `v` flag; lowered, each /…/v literal becomes a
    // `new RegExp()` compiled at load (string-width's /^\p{RGI_Emoji}$/v: 8× the literal).
    "regexp-set-notation": true,
    // A script compiled by vm.Script has no dynamic import() on Node 20 (it needs
    // --experimental-vm-modules): every import() becomes a lazy init or a require().
    "dynamic-import": false,
  },
  // This is CommonJS: import.meta.url is the script's own URL.
  define: { CAIRN_VERSION: JSON.stringify(pkg.version), "import.meta.url": "__cairnUrl" },
  banner: { js: 'var __cairnUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Loaded only when tracing is on (`--otel`): required from node_modules at that point,
  // so that they cost nothing otherwise and keep their own module format.
  // ssh2 loads optional native bindings (.node) that a bundle cannot hold: it stays in
  // node_modules, as age-encryption does (required only when a secret needs it).
  // re2js (188 kB, 15% of the bundle) is needed only by a regex or an inventory pattern:
  // required from node_modules then, so that other starts do not read it.
  external: ["@opentelemetry/*", "ssh2", "cpu-features", "age-encryption", "re2js"],
  plugins: [zodEnglishOnly, moduleTrace],
});

// The entry reads the bundle as latin1 (src/cli/code-cache.ts): one byte per character,
// right only for ASCII. esbuild escapes strings but keeps a regex literal's characters as
// written, so a non-ASCII one in a regex would slip through: refuse it here.
const bundleBytes = readFileSync(join(out, "cairn.cjs"));
const nonAscii = bundleBytes.findIndex((b) => b > 0x7f);
if (nonAscii !== -1) {
  const line = bundleBytes.subarray(0, nonAscii).toString("latin1").split("\n").length;
  throw new Error(
    `dist/cli/cairn.cjs:${line}: a non-ASCII character; write it as an escape (\\u00ab) in src/`,
  );
}
const bundleHash = createHash("sha256").update(bundleBytes).digest("hex").slice(0, 16);
// The entry is CommonJS too, although the package is "type": "module": an ES module entry
// makes Node load its own ESM loader (~10 internal modules) at every start. main.js keeps
// its name (the `bin`, and what people run), so dist/cli/ gets a package.json that says
// its .js files are CommonJS.
await build({
  ...common,
  entryPoints: [{ in: "src/cli/entry.ts", out: "main" }],
  format: "cjs",
  define: {
    CAIRN_VERSION: JSON.stringify(pkg.version),
    CAIRN_BUNDLE_HASH: JSON.stringify(bundleHash),
    "import.meta.url": "__cairnUrl",
  },
  banner: { js: 'var __cairnUrl = require("node:url").pathToFileURL(__filename).href;' },
});
writeFileSync(join(out, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
