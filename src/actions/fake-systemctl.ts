/**
 * For tests: a recorded fake `systemctl` in a temp directory to put first on PATH
 * (this machine, like a container, runs no systemd). It logs every call and keeps
 * which units are active and enabled in files, answering is-active/is-enabled from them.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./test-context.js";

export function fakeSystemctl(
  opts: { running?: string; active?: string[]; enabled?: string[] } = {},
) {
  const dir = tempDir();
  const log = join(dir, "calls");
  const active = join(dir, "active");
  const enabled = join(dir, "enabled");
  writeFileSync(log, "");
  writeFileSync(active, (opts.active ?? []).map((u) => `${u}\n`).join(""));
  writeFileSync(enabled, (opts.enabled ?? []).map((u) => `${u}\n`).join(""));
  const running = opts.running ?? "running";
  writeFileSync(
    join(dir, "systemctl"),
    `#!/bin/sh
echo "$*" >> '${log}'
case "$1" in
  is-system-running) echo ${running}; [ ${running} = running ] ;;
  is-active) grep -qx "$2" '${active}' && { echo active; exit 0; }; echo inactive; exit 3 ;;
  is-enabled) grep -qx "$2" '${enabled}' && { echo enabled; exit 0; }; echo disabled; exit 1 ;;
  start|restart) grep -qx "$2" '${active}' || echo "$2" >> '${active}' ;;
  stop) grep -vx "$2" '${active}' > '${active}.n'; mv '${active}.n' '${active}' ;;
  enable) echo "$2" >> '${enabled}' ;;
  disable) grep -vx "$2" '${enabled}' > '${enabled}.n'; mv '${enabled}.n' '${enabled}' ;;
  daemon-reload|reload) ;;
  *) echo "unknown command $1" >&2; exit 1 ;;
esac
`,
  );
  const { exec, calls } = onPath(dir, "systemctl", log);
  const mutating = () => calls().filter((c) => !/^is-/.test(c));
  return { exec, calls, mutating };
}

/**
 * Makes the script `dir/name` executable and gives the exec settings that put `dir`
 * first on PATH, and the calls logged to `log` so far.
 */
export function onPath(dir: string, name: string, log: string) {
  chmodSync(join(dir, name), 0o755);
  const exec = {
    env: { PATH: `${dir}:${process.env.PATH}` },
    cwd: null,
    become: false,
    become_user: null,
  };
  const calls = () =>
    readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .filter((l) => l !== "");
  return { exec, calls };
}
