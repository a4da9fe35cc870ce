import { describe, expect, it } from "vitest";
import { localTransport } from "../transports/local.js";
import type { ProcessSpec, Transport } from "../transports/transport.js";
import { localFacts } from "./local.js";
import { gatherFactsVia, remoteFactNames } from "./remote.js";

/** Facts that move while the test runs (free memory) are compared by type only. */
const VOLATILE = ["memory_free_mb", "swap_free_mb", "disks"];

/** A transport that runs locally and records every spec it was given. */
function recording(): { transport: Transport; specs: ProcessSpec[] } {
  const inner = localTransport();
  const specs: ProcessSpec[] = [];
  return {
    specs,
    transport: {
      name: "rec",
      run: (spec) => {
        specs.push(spec);
        return inner.run(spec);
      },
    },
  };
}

describe("gatherFactsVia", () => {
  // Property: on this machine, every fact gathered by the script through the local
  // transport equals the fact node gathers in-process, name by name.
  it("agrees with localFacts() for every fact name on this machine", async () => {
    const local = localFacts();
    expect(remoteFactNames()).toEqual(local.names());
    const names = local.names();
    const remote = await gatherFactsVia(localTransport(), names, 20_000);
    for (const name of names) {
      if (VOLATILE.includes(name)) expect(typeof remote[name], name).toBe(typeof local.get(name));
      else expect(remote[name], name).toEqual(local.get(name));
    }
  });

  it("runs one process, and only the sections the asked facts need", async () => {
    const { transport, specs } = recording();
    const f = await gatherFactsVia(transport, ["is_linux", "no_such_fact"], 10_000);
    expect(f).toEqual({ is_linux: process.platform === "linux" });
    expect(specs).toHaveLength(1);
    const script = JSON.stringify(specs[0]?.command);
    expect(script).toContain("uname -s");
    expect(script).not.toContain("python3");
    expect(script).not.toContain("/proc/meminfo");
  });

  it("runs nothing for names it does not know", async () => {
    const { transport, specs } = recording();
    expect(await gatherFactsVia(transport, ["nope"], 1000)).toEqual({});
    expect(specs).toHaveLength(0);
  });

  it("fails with a message when the target does not answer in time", async () => {
    const slow: Transport = {
      name: "slow",
      run: (spec) =>
        new Promise((done) =>
          spec.signal.addEventListener("abort", () =>
            done({ rc: null, signal: null, aborted: true, spawnError: null }),
          ),
        ),
    };
    await expect(gatherFactsVia(slow, ["os"], 50)).rejects.toThrow(/timed out after 50 ms/);
  });
});
