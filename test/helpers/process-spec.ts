/** A ProcessSpec with harmless defaults (`true` in sh, no env, stdin or become), for transport tests. */
import type { ProcessSpec } from "../../src/transports/transport.js";

export function processSpec(over: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    command: { shell: "true", interpreter: "sh" },
    env: {},
    cwd: null,
    stdin: null,
    become: false,
    becomeUser: null,
    signal: new AbortController().signal,
    onOutput: () => undefined,
    ...over,
  };
}
