/** src/load: YAML text → plain values with source positions. Pure (no node:fs). */
export { checkYamlLimits, parseYaml } from "./parse.js";
export type { JsPath, LoadedDoc, SourceFile } from "./types.js";
