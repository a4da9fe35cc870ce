/**
 * What the pure planner is handed. It performs no I/O of its own: file contents,
 * directory listings and facts come through these interfaces (DESIGN.md §1), which
 * the CLI implements over the real file system and tests implement in memory.
 */

import type { PlanLimits } from "./limits.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { SecretSource } from "../model/plan.js";

/** One entry of a `with_filetree` walk. */
export interface TreeEntry {
  /** Path relative to the walked directory, with a leading `/` (as mooncake gives it). */
  path: string;
  name: string;
  is_dir: boolean;
  size: number;
  /** Octal permission string, e.g. "0644". */
  mode: string;
}

/** A read-only view of the project's files; paths are relative to the root playbook's dir. */
export interface FileSystemView {
  /** The file's text, or null when it does not exist or is not a file. */
  readText(path: string): string | null;
  /**
   * sha256 (hex) of the file's bytes, or null when it does not exist or is not a file.
   * For files not read as text (copy's `src`): never decoded, and streamed, so that a
   * large binary costs neither a string nor its size in memory.
   */
  sha256(path: string): string | null;
  /** Every entry under `dir`, recursively, or null when `dir` is not a directory. */
  walk(dir: string): TreeEntry[] | null;
}

/** Facts of one target, computed lazily on first access. */
export interface FactLookup {
  get(name: string): unknown;
  names(): readonly string[];
}

export interface CompileOptions {
  /** The root playbook's path relative to its own directory (usually its base name). */
  root: string;
  fs: FileSystemView;
  /** Facts per target: `facts[target]` is required. */
  facts: Record<string, FactLookup>;
  /** The target this compile plans for (SPEC §1.6). @default "local" */
  target?: string;
  /**
   * The target's inventory variables (and Ansible's magic variables such as
   * `inventory_hostname`): above facts, below playbook vars (SPEC §1.4).
   */
  targetVars?: Record<string, unknown>;
  /** `--vars-file` values merged in order, then `--var k=v`. */
  cliVars: Record<string, unknown>;
  /** `--tags` (empty = no selection) and `--skip-tags`. */
  tags: string[];
  skipTags: string[];
  /** Environment for `env()`/`has_env()`/`expanduser` in plan-time expressions. */
  env: Record<string, string | undefined>;
  /**
   * Directories searched for presets after `presets/` beside the root playbook, in
   * order (SPEC §1.8: --presets-dir, CAIRN_PRESETS_PATH, ~/.cairn/presets ...).
   */
  presetDirs?: readonly string[];
  /** Receives warnings (e.g. YAML read leniently); errors come back in the Result. */
  onWarning?: (warning: Diagnostic) => void;
  /** Secret sources from `--secrets-file` (the playbook's own `secrets:` win). */
  secrets?: Record<string, SecretSource>;
  /** Bounds on the plan's size (see limits.ts); the defaults when absent. */
  limits?: Partial<PlanLimits>;
}
