// Bundles the CLI into dist/cli/ with esbuild (run by `npm run build` after tsc).
//
// Why: Node's ESM loader opened ~380 files (zod, yaml, commander, our own modules one by
// one) before `cairn run` did any work; bundled, it opens 17 (`--version`: 1).
// src/cli/entry.ts becomes dist/cli/main.js (the `bin`): it answers `--version` alone;
// main.ts (commander wiring) and each command's module, imported with `await import()`,
// become chunks loaded on demand (`splitting`), so `cairn plan` never loads the engine.
//
// tsc still compiles src/ for the library (dist/index.js + .d.ts) and type-checks src/cli;
// its per-file output under dist/cli/ is replaced here by the bundle. Chunks sit in
// dist/cli/ itself, at the depth of the files they replace, because some modules find
// package.json at `new URL("../../package.json", import.meta.url)`.
//
// dist/cli/bundle-manifest.json lists the sources in each output file, so that a test can
// tell which chunk holds, say, the live TTY view, and check that a run does not load it.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, "dist/cli");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

rmSync(out, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: [{ in: "src/cli/entry.ts", out: "main" }],
  outdir: out,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunk-[hash]",
  // Less to read and parse at each start (Node 20 has no compile cache); identifiers
  // are kept, so an internal error's stack trace still names our functions.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  sourcesContent: false,
  // Node 20 (V8 11.3) has the RegExp `v` flag; lowered, each /…/v literal becomes a
  // `new RegExp()` compiled at load (string-width's /^\p{RGI_Emoji}$/v: 8× the literal).
  supported: { "regexp-set-notation": true },
  define: { CAIRN_VERSION: JSON.stringify(pkg.version) },
  // commander (CommonJS, bundled) calls require() for Node built-ins; an ES module has
  // no `require` of its own, so every chunk gets one.
  banner: {
    js: 'import { createRequire as __cairnRequire } from "node:module"; const require = __cairnRequire(import.meta.url);',
  },
  // Loaded only when tracing is on (`--otel`): left as runtime imports from node_modules,
  // so that they cost nothing otherwise and keep their own module format.
  // ssh2 loads optional native bindings (.node) that a bundle cannot hold: it stays in
  // node_modules, as age-encryption does (a runtime import, only when a secret needs it).
  external: ["@opentelemetry/*", "ssh2", "cpu-features", "age-encryption"],
  plugins: [zodEnglishOnly],
  logLevel: "warning",
  metafile: true,
});

const manifest = {};
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (file.endsWith(".js")) manifest[file.slice("dist/cli/".length)] = Object.keys(output.inputs);
}
writeFileSync(join(out, "bundle-manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
