/**
 * The shell script that gathers a target's facts in one process: one section per
 * source (uname, /etc/os-release, /proc/meminfo, `ip -o addr` ...), each printed under
 * a marker line, only the sections the asked facts need. Plain POSIX sh with tools
 * that GNU, busybox and macOS all have; a tool that is missing leaves its section
 * empty. Slow tools run under `timeout` where the target has it.
 */

export const MARK = "@@cairn-fact@@";

/** Section name → the commands whose output it is. */
export const SECTIONS: Record<string, string> = {
  uname: "uname -s; uname -m; uname -n; uname -r",
  user: `id -un; printf '%s\\n' "$HOME"; printf '%s\\n' "\${SHELL:-$(getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)}"`,
  osrelease: "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null",
  swvers: "sw_vers -productVersion 2>/dev/null",
  nproc: "nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu",
  meminfo: "cat /proc/meminfo 2>/dev/null",
  memsize: "sysctl -n hw.memsize 2>/dev/null",
  managers: `for b in apt dnf yum pacman zypper apk brew; do command -v "$b" >/dev/null 2>&1 && echo "$b"; done`,
  python: "t python3 --version 2>/dev/null || t python --version 2>/dev/null",
  ip: "ip -o addr show 2>/dev/null",
  links: `for d in /sys/class/net/*; do echo "\${d##*/} $(cat "$d/flags") $(cat "$d/address") $(cat "$d/mtu") $(cat "$d/operstate")"; done 2>/dev/null`,
  cpuinfo: "cat /proc/cpuinfo 2>/dev/null",
  cpubrand: "sysctl -n machdep.cpu.brand_string 2>/dev/null",
  route: "cat /proc/net/route 2>/dev/null",
  resolv: "cat /etc/resolv.conf 2>/dev/null",
  df: "t df -B1G -T -x tmpfs -x devtmpfs -x overlay 2>/dev/null",
  docker: "t docker --version 2>/dev/null",
  git: "t git --version 2>/dev/null",
  go: "t go version 2>/dev/null",
  ollama: "t ollama --version 2>/dev/null",
};

/** The script for `sections`; `timeoutS` bounds each slow tool where `timeout` exists. */
export function factScript(sections: readonly string[], timeoutS: number): string {
  const t = `t() { if command -v timeout >/dev/null 2>&1; then timeout ${timeoutS} "$@"; else "$@"; fi; }`;
  const parts = sections.map((s) => `echo '${MARK}${s}'; { ${SECTIONS[s]}; } || true`);
  return ["export LC_ALL=C", t, ...parts].join("\n");
}

/** The script's output, section by section. */
export function splitSections(out: string): Map<string, string> {
  const found = new Map<string, string>();
  const chunks = out.split(`${MARK}`);
  for (const chunk of chunks.slice(1)) {
    const nl = chunk.indexOf("\n");
    const name = nl === -1 ? chunk : chunk.slice(0, nl);
    found.set(name, nl === -1 ? "" : chunk.slice(nl + 1));
  }
  return found;
}
