/**
 * The SSH transport: runs a ProcessSpec on one remote host over a single `ssh2`
 * connection (ssh-connection.ts) opened on the first run and shared by all later ones,
 * with at most `maxChannels` sessions open at once (ssh-channels.ts) and each step on
 * its own exec channel (ssh-run.ts, ssh-command.ts). A host that cannot be reached
 * makes every run resolve with `unreachable` set, never throw.
 */
import { randomBytes } from "node:crypto";
import type { Client } from "ssh2";
import { ChannelLimiter, openExec } from "./ssh-channels.js";
import { buildRemoteCommand, killLine, scriptPlacement, uploadLine } from "./ssh-command.js";
import { Connection, type SshConnection, Unreachable } from "./ssh-connection.js";
import { runOnChannel } from "./ssh-run.js";
import type { ProcessResult, ProcessSpec, Transport } from "./transport.js";

export type { SshConnection } from "./ssh-connection.js";

export interface SshTransportOptions {
  /** Between TERM and KILL of an aborted remote process group. @default 2000 */
  killGraceMs?: number;
  /** How long to keep reading after the command exited while a background child holds the channel. @default 100 */
  drainMs?: number;
  /** Sessions open at once on the connection; keep it below sshd's MaxSessions (10). @default 8 */
  maxChannels?: number;
  /** Where warnings go (host key checking off, unsupported known_hosts lines). @default stderr */
  warn?: (message: string) => void;
}

export interface SshTransport extends Transport {
  /** Ends the connection gracefully, after sending the KILLs still pending. */
  close(): Promise<void>;
}

export function sshTransport(conn: SshConnection, opts: SshTransportOptions = {}): SshTransport {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`cairn: warning: ${m}\n`));
  const connection = new Connection(conn, warn);
  const limiter = new ChannelLimiter(opts.maxChannels ?? 8);
  const killGraceMs = opts.killGraceMs ?? 2000;
  const drainMs = opts.drainMs ?? 100;
  /** Remote groups sent TERM whose KILL is still to come, with how to send it. */
  const pendingKills = new Map<NodeJS.Timeout, () => Promise<void>>();

  const becomeFor = (spec: ProcessSpec) => {
    // Root becoming root needs no sudo (which may not even be installed).
    const toRoot = spec.becomeUser === null || spec.becomeUser === "root";
    return spec.become && !(connection.user === "root" && toRoot);
  };

  /** Sends the signal through its own channel; resolves once the server ran the kill. */
  const killGroup = async (
    spec: ProcessSpec,
    pgid: number,
    signal: "TERM" | "KILL",
  ): Promise<void> => {
    const line = killLine(pgid, signal, becomeFor(spec), spec.becomeUser);
    try {
      const client = await connection.get();
      // Kills bypass the limiter: an aborted step holds its slot until they are done.
      const ch = await openExec(client, line, limiter, new AbortController().signal, 10);
      if (ch === null) return;
      await new Promise<void>((resolve) => {
        ch.on("close", () => resolve());
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      // The host is gone, and with it the connection's processes.
    }
  };

  /** Stores `text` in a private temp file on the host (as the step's user); its path. */
  const upload = async (client: Client, line: string, text: string): Promise<string> => {
    const ch = await openExec(client, line, limiter, new AbortController().signal);
    if (ch === null) throw new Error("aborted");
    let path = "";
    let err = "";
    const rc = await new Promise<number | null>((resolve) => {
      let code: number | null = null;
      ch.on("data", (d: Buffer) => {
        path += d.toString();
      });
      ch.stderr.on("data", (d: Buffer) => {
        err += d.toString();
      });
      ch.on("exit", (c: number | null) => {
        code = c;
      });
      ch.on("close", () => resolve(code));
      ch.end(text);
    });
    if (rc !== 0 || path === "")
      throw new Error(`cannot store the script in a temp file: ${err.trim()}`);
    return path;
  };

  const run = async (spec: ProcessSpec): Promise<ProcessResult> => {
    if (spec.signal.aborted) return ended({ aborted: true });
    let client: Awaited<ReturnType<Connection["get"]>>;
    try {
      client = await connection.get();
    } catch (e) {
      return ended({ unreachable: e instanceof Unreachable ? e.message : String(e) });
    }
    const release = await limiter.acquire(spec.signal);
    if (release === null) return ended({ aborted: true });
    try {
      const token = `cairn-${randomBytes(8).toString("hex")}`;
      const become = becomeFor(spec);
      let file: string | null = null;
      if (scriptPlacement(spec) === "file" && "shell" in spec.command) {
        try {
          file = await upload(client, uploadLine(become, spec.becomeUser), spec.command.shell);
        } catch (e) {
          return ended({ spawnError: (e as Error).message });
        }
      }
      const cmd = buildRemoteCommand({ ...spec, become }, token, file);
      let channel: Awaited<ReturnType<typeof openExec>>;
      try {
        channel = await openExec(client, cmd.execLine, limiter, spec.signal);
      } catch (e) {
        return ended({
          unreachable: `cannot open a session on ${conn.name}: ${(e as Error).message}`,
        });
      }
      if (channel === null) return ended({ aborted: true });
      return await runOnChannel(channel, spec, {
        token,
        header: cmd.header,
        trailer: cmd.trailer,
        hostName: conn.name,
        user: connection.user,
        killGraceMs,
        drainMs,
        killGroup: (pgid, s) => void killGroup(spec, pgid, s),
        scheduleKill: (pgid, afterMs) => {
          const fire = () => {
            pendingKills.delete(timer);
            return killGroup(spec, pgid, "KILL");
          };
          const timer = setTimeout(fire, afterMs);
          pendingKills.set(timer, fire);
        },
        onLost: (l) => connection.onLost(l),
      });
    } finally {
      release();
    }
  };

  const close = async (): Promise<void> => {
    const kills = [...pendingKills].map(([timer, fire]) => {
      clearTimeout(timer);
      return fire();
    });
    await Promise.all(kills);
    await connection.close();
  };

  return {
    name: conn.name,
    run,
    close,
    dispose() {
      void close();
    },
  };
}

function ended(fields: Partial<ProcessResult>): ProcessResult {
  return { rc: null, signal: null, aborted: false, spawnError: null, ...fields };
}
