/** Types of sshd-server.mjs (a real sshd for tests and benchmarks). */
export declare const SSHD: string;

export interface Sshd {
  /** 127.0.0.2, 127.0.0.3, ... */
  addresses: string[];
  port: number;
  /** The private key file of a client key every user accepts. */
  clientKey: string;
  /** The server's public host key, as `type base64`. */
  hostKeyLine: string;
  /** A known_hosts listing the host key for `[address]:port` of every address. */
  knownHostsFile: string;
  /** The server's temp directory (removed by stop). */
  dir: string;
  stop(): Promise<void>;
}

export declare function sshdSkipReason(): string | null;
export declare function keygen(file: string, type?: string, passphrase?: string): string;
export declare function startSshd(opts: {
  addresses: number;
  port?: number;
  /** Serve the SFTP subsystem (internal-sftp), as a stock sshd does. */
  sftp?: boolean;
}): Promise<Sshd>;
export declare function freePort(host: string): Promise<number>;
export declare function ensureUser(name: string): void;
