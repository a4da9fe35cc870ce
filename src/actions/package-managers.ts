/**
 * What `package` says to each package manager: how to ask which packages are installed
 * (and, for `latest`, which would be upgraded), and the one non-interactive command
 * that installs, removes or upgrades a list of packages. Pure: argv in, parsed output
 * out; package.ts runs them.
 */

export const MANAGERS = ["apt", "dnf", "yum", "pacman", "zypper", "apk", "brew", "port"] as const;
export type Manager = (typeof MANAGERS)[number];
/** Named by mooncake, but Windows-only: refused with that reason. */
export const WINDOWS_MANAGERS = ["choco", "scoop"] as const;

/** Installed packages by name, with their versions. */
export type Installed = Map<string, string>;

export interface ManagerSpec {
  /** The binary whose presence on PATH means this manager is here. */
  bin: string;
  /** Environment that keeps the manager from asking questions. */
  env: Record<string, string>;
  query(names: readonly string[]): string[];
  /** Parses the query's stdout; a name missing from the map is not installed. */
  parse(stdout: string, names: readonly string[]): Installed;
  install(names: readonly string[], extra: readonly string[]): string[];
  remove(names: readonly string[], extra: readonly string[]): string[];
  /** Upgrades the named packages (installing those that are missing). */
  latest(names: readonly string[], extra: readonly string[]): string[];
  updateCache: string[];
  upgradeAll(extra: readonly string[]): string[];
}

/** `name version` per line (pacman -Q, brew list --versions, apk info -v style handled apart). */
function nameVersionLines(stdout: string): Installed {
  const out: Installed = new Map();
  for (const line of stdout.split("\n")) {
    const [name, version] = line.trim().split(/\s+/);
    if (name !== undefined && name !== "") out.set(name, version ?? "");
  }
  return out;
}

const rpm: Pick<ManagerSpec, "query" | "parse"> = {
  query: (names) => ["rpm", "-q", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n", ...names],
  parse: (stdout) => {
    const out: Installed = new Map();
    for (const line of stdout.split("\n")) {
      const [name, version] = line.split("\t");
      // Missing packages print "package X is not installed" (no tab).
      if (name !== undefined && version !== undefined) out.set(name, version);
    }
    return out;
  },
};

export const SPECS: Record<Manager, ManagerSpec> = {
  apt: {
    bin: "apt-get",
    env: { DEBIAN_FRONTEND: "noninteractive", NEEDRESTART_MODE: "a" },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's format, not JavaScript's
    query: (names) => ["dpkg-query", "-W", "-f=${Package}\t${Status}\t${Version}\n", ...names],
    parse: (stdout) => {
      const out: Installed = new Map();
      for (const line of stdout.split("\n")) {
        const [name, status, version] = line.split("\t");
        if (
          name !== undefined &&
          status?.endsWith(" installed") &&
          !status.includes("not-installed")
        )
          out.set(name, version ?? "");
      }
      return out;
    },
    install: (names, extra) => ["apt-get", "install", "-y", "-q", ...extra, ...names],
    remove: (names, extra) => ["apt-get", "remove", "-y", "-q", ...extra, ...names],
    latest: (names, extra) => ["apt-get", "install", "-y", "-q", ...extra, ...names],
    updateCache: ["apt-get", "update", "-q"],
    upgradeAll: (extra) => ["apt-get", "upgrade", "-y", "-q", ...extra],
  },
  dnf: {
    bin: "dnf",
    env: {},
    ...rpm,
    install: (names, extra) => ["dnf", "install", "-y", ...extra, ...names],
    remove: (names, extra) => ["dnf", "remove", "-y", ...extra, ...names],
    latest: (names, extra) => ["dnf", "install", "-y", "--best", ...extra, ...names],
    updateCache: ["dnf", "makecache", "-y"],
    upgradeAll: (extra) => ["dnf", "upgrade", "-y", ...extra],
  },
  yum: {
    bin: "yum",
    env: {},
    ...rpm,
    install: (names, extra) => ["yum", "install", "-y", ...extra, ...names],
    remove: (names, extra) => ["yum", "remove", "-y", ...extra, ...names],
    latest: (names, extra) => ["yum", "install", "-y", ...extra, ...names],
    updateCache: ["yum", "makecache", "-y"],
    upgradeAll: (extra) => ["yum", "update", "-y", ...extra],
  },
  zypper: {
    bin: "zypper",
    env: {},
    ...rpm,
    install: (names, extra) => ["zypper", "--non-interactive", "install", ...extra, ...names],
    remove: (names, extra) => ["zypper", "--non-interactive", "remove", ...extra, ...names],
    latest: (names, extra) => ["zypper", "--non-interactive", "install", ...extra, ...names],
    updateCache: ["zypper", "--non-interactive", "refresh"],
    upgradeAll: (extra) => ["zypper", "--non-interactive", "update", ...extra],
  },
  pacman: {
    bin: "pacman",
    env: {},
    query: (names) => ["pacman", "-Q", ...names],
    parse: nameVersionLines,
    install: (names, extra) => ["pacman", "-S", "--noconfirm", "--needed", ...extra, ...names],
    remove: (names, extra) => ["pacman", "-R", "--noconfirm", ...extra, ...names],
    latest: (names, extra) => ["pacman", "-S", "--noconfirm", ...extra, ...names],
    updateCache: ["pacman", "-Sy", "--noconfirm"],
    upgradeAll: (extra) => ["pacman", "-Syu", "--noconfirm", ...extra],
  },
  apk: {
    bin: "apk",
    env: {},
    // `apk info -e` prints the names of those installed; versions are not needed.
    query: (names) => ["apk", "info", "-e", ...names],
    parse: (stdout) =>
      new Map(
        stdout
          .split("\n")
          .filter((l) => l.trim() !== "")
          .map((l) => [l.trim(), ""]),
      ),
    install: (names, extra) => ["apk", "add", "--no-progress", ...extra, ...names],
    remove: (names, extra) => ["apk", "del", "--no-progress", ...extra, ...names],
    latest: (names, extra) => ["apk", "add", "--upgrade", "--no-progress", ...extra, ...names],
    updateCache: ["apk", "update"],
    upgradeAll: (extra) => ["apk", "upgrade", ...extra],
  },
  brew: {
    bin: "brew",
    env: { HOMEBREW_NO_AUTO_UPDATE: "1", HOMEBREW_NO_INSTALL_CLEANUP: "1" },
    query: (names) => ["brew", "list", "--versions", ...names],
    parse: nameVersionLines,
    install: (names, extra) => ["brew", "install", ...extra, ...names],
    remove: (names, extra) => ["brew", "uninstall", ...extra, ...names],
    latest: (names, extra) => ["brew", "upgrade", ...extra, ...names],
    updateCache: ["brew", "update"],
    upgradeAll: (extra) => ["brew", "upgrade", ...extra],
  },
  port: {
    bin: "port",
    env: {},
    query: (names) => ["port", "-q", "installed", ...names],
    parse: nameVersionLines,
    install: (names, extra) => ["port", "-N", "install", ...extra, ...names],
    remove: (names, extra) => ["port", "-N", "uninstall", ...extra, ...names],
    latest: (names, extra) => ["port", "-N", "upgrade", ...extra, ...names],
    updateCache: ["port", "-N", "selfupdate"],
    upgradeAll: (extra) => ["port", "-N", "upgrade", "outdated", ...extra],
  },
};

/** The shell line that names the first manager found on PATH, in mooncake's order. */
export const DETECT_SCRIPT = `for m in ${MANAGERS.map((m) => `${m}:${SPECS[m].bin}`).join(" ")}; do command -v "\${m#*:}" >/dev/null 2>&1 && { echo "\${m%%:*}"; exit 0; }; done; exit 1`;

/** For apt's `latest`: the candidate version per package from `apt-cache policy`. */
export function aptCandidates(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | null = null;
  for (const line of stdout.split("\n")) {
    const head = /^(\S+):$/.exec(line);
    if (head !== null) current = head[1]!;
    const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
    if (cand !== null && current !== null && cand[1] !== "(none)") out.set(current, cand[1]!);
  }
  return out;
}

/** For apt's `upgrade`: the packages a simulated upgrade would change. */
export function aptSimulatedUpgrades(stdout: string): string[] {
  return stdout
    .split("\n")
    .map((l) => /^Inst (\S+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}
