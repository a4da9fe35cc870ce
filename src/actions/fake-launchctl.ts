/**
 * For tests: a recorded fake `launchctl` in a temp directory to put first on PATH —
 * launchd runs only on macOS, and this machine is Linux — with an `uname` that says
 * Darwin and an `id` that says the user's id, so that `service` takes its launchd
 * path. It logs every launchctl call and keeps which services are loaded, running and
 * disabled in files, answering `print` and `print-disabled` from them as launchctl
 * does (exit 113 "Could not find service" for one not loaded). `bootstrap` loads the
 * plist's basename as the label, running when the plist says RunAtLoad.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { onPath } from "./fake-systemctl.js";
import { tempDir } from "./test-context.js";

export function fakeLaunchctl(
  opts: {
    uid?: number;
    /** What `uname -s` says; Darwin unless a test says otherwise. */
    uname?: string;
    loaded?: string[];
    running?: string[];
    disabled?: string[];
    /** Leave launchctl out (a Darwin without it). */
    missing?: boolean;
    /** `print` fails as for a gui/UID domain with no one logged in. */
    noDomain?: boolean;
  } = {},
) {
  const dir = tempDir();
  const log = join(dir, "calls");
  const files = { loaded: opts.loaded, running: opts.running, disabled: opts.disabled };
  for (const [name, labels] of Object.entries(files))
    writeFileSync(join(dir, name), (labels ?? []).map((l) => `${l}\n`).join(""));
  writeFileSync(log, "");
  writeFileSync(join(dir, "uname"), `#!/bin/sh\necho ${opts.uname ?? "Darwin"}\n`);
  writeFileSync(join(dir, "id"), `#!/bin/sh\necho ${opts.uid ?? 501}\n`);
  const state = (name: string) => `'${join(dir, name)}'`;
  const add = (name: string, v: string) =>
    `{ grep -qx "${v}" ${state(name)} || echo "${v}" >> ${state(name)}; }`;
  const drop = (name: string, v: string) =>
    `{ grep -vx "${v}" ${state(name)} > ${state(name)}.n; mv ${state(name)}.n ${state(name)}; }`;
  const notFound = (v: string) =>
    `{ echo "Could not find service \\"${v}\\" in domain for user gui: ${opts.uid ?? 501}" >&2; exit 113; }`;
  writeFileSync(
    join(dir, "launchctl"),
    `#!/bin/sh
echo "$*" >> '${log}'
label=\${2##*/}
case "$1" in
  print)
    ${opts.noDomain === true ? `echo "Bad request." >&2; echo "Could not find domain for user gui: ${opts.uid ?? 501}" >&2; exit 113` : ""}
    grep -qx "$label" ${state("loaded")} || ${notFound("$label")}
    echo "$2 = {"
    echo "	active count = 1"
    grep -qx "$label" ${state("running")} && printf '\\tstate = running\\n\\tpid = 4242\\n' || printf '\\tstate = not running\\n'
    echo "}" ;;
  print-disabled)
    echo "disabled services = {"
    while read -r l; do printf '\\t"%s" => disabled\\n' "$l"; done < ${state("disabled")}
    echo "}" ;;
  bootstrap)
    label=$(basename "$3" .plist)
    { [ -f "$3" ] && ! grep -qx "$label" ${state("disabled")}; } || { echo "Bootstrap failed: 5: Input/output error" >&2; exit 5; }
    grep -qx "$label" ${state("loaded")} && { echo "Bootstrap failed: 37: Operation already in progress" >&2; exit 37; }
    echo "$label" >> ${state("loaded")}
    grep -q RunAtLoad "$3" && ${add("running", "$label")}; : ;;
  bootout)
    grep -qx "$label" ${state("loaded")} || { echo "Boot-out failed: 113: Could not find specified service" >&2; exit 113; }
    ${drop("loaded", "$label")}; ${drop("running", "$label")} ;;
  kickstart)
    label=\${3##*/}
    grep -qx "$label" ${state("loaded")} || ${notFound("$label")}
    ${add("running", "$label")} ;;
  enable) ${drop("disabled", "$label")} ;;
  disable) ${add("disabled", "$label")} ;;
  *) echo "Unrecognized subcommand: $1" >&2; exit 64 ;;
esac
`,
  );
  onPath(dir, "uname", log);
  onPath(dir, "id", log);
  const { exec, calls } = onPath(dir, "launchctl", log);
  if (opts.missing === true) rmSync(join(dir, "launchctl"));
  const mutating = () => calls().filter((c) => !/^print/.test(c));
  return { exec, calls, mutating, dir };
}
