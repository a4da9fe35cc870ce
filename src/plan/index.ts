/** The pure planner (SPEC §2): playbook → Plan. */
export { compile } from "./compile.js";
export { sha256Hex } from "./digest.js";
export type { CompileOptions, FactLookup, FileSystemView, TreeEntry } from "./inputs.js";
