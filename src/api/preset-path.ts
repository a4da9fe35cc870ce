/**
 * The preset search path after `presets/` beside the playbook (SPEC §1.8), first match
 * wins: `--presets-dir` (in the order given), `CAIRN_PRESETS_PATH` (`:`-separated),
 * `~/.cairn/presets`, `~/.mooncake/presets`, `/usr/local/share/cairn/presets`,
 * `/usr/share/cairn/presets`. Relative entries are relative to the working directory.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function presetSearchPath(
  flagDirs: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): string[] {
  const home = env.HOME ?? homedir();
  const fromEnv = (env.CAIRN_PRESETS_PATH ?? "").split(":").filter((d) => d !== "");
  const dirs = [
    ...flagDirs.map((d) => resolve(cwd, d)),
    ...fromEnv.map((d) => resolve(cwd, d)),
    join(home, ".cairn", "presets"),
    join(home, ".mooncake", "presets"),
    "/usr/local/share/cairn/presets",
    "/usr/share/cairn/presets",
  ];
  return [...new Set(dirs)];
}
