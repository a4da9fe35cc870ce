/**
 * Which credentials an SSH connection offers, in order: the key file named for the
 * host (else the usual `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` that exist), then
 * the agent when `SSH_AUTH_SOCK` is set. A key protected by a passphrase is skipped
 * when the agent can stand in; without an agent it is an error that says what to do
 * (cairn never prompts).
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
// ssh2 is CommonJS: Node's ESM loader finds no named exports in it.
import ssh2 from "ssh2";

export type AuthMethod =
  | { type: "publickey"; username: string; key: Buffer }
  | { type: "agent"; username: string; agent: string };

export const DEFAULT_KEYS = ["id_ed25519", "id_ecdsa", "id_rsa"];

/** The methods to try, or an error message when there is nothing usable. */
export function authMethods(
  username: string,
  keyFile: string | null,
  agentSock: string | undefined,
): AuthMethod[] | string {
  const files = keyFile !== null ? [keyFile] : DEFAULT_KEYS.map((k) => join(homedir(), ".ssh", k));
  const methods: AuthMethod[] = [];
  const problems: string[] = [];
  const agent = agentSock !== undefined && agentSock !== "" ? agentSock : null;
  for (const file of files) {
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch (e) {
      // Only a key file asked for by name must exist; the defaults are tried when present.
      if (keyFile !== null) problems.push(`cannot read key file ${file}: ${(e as Error).message}`);
      continue;
    }
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) {
      if (/passphrase/.test(parsed.message)) {
        if (agent === null)
          problems.push(
            `key ${file} is protected by a passphrase and no ssh-agent is running: ` +
              `start one and \`ssh-add ${file}\` (cairn never prompts)`,
          );
      } else problems.push(`cannot use key file ${file}: ${parsed.message}`);
      continue;
    }
    methods.push({ type: "publickey", username, key });
  }
  if (agent !== null) methods.push({ type: "agent", username, agent });
  if (methods.length === 0) {
    return problems.length > 0
      ? problems.join("; ")
      : `no SSH key found (tried ${files.join(", ")}) and no ssh-agent (SSH_AUTH_SOCK)`;
  }
  return methods;
}
