/**
 * Reachability of a step's target: the transport is watched so that, whatever an
 * action makes of a failed command, a host that could not be reached makes the
 * attempt fail as `unreachable` (SPEC §1.6), not as a failed step.
 */
import type { Transport } from "../transports/transport.js";

export /** The transport, noting the first run that found its target unreachable. */
function watchReach(transport: Transport): { transport: Transport; lost: string | null } {
  const watch = {
    lost: null as string | null,
    transport: {
      name: transport.name,
      run: async (spec: Parameters<Transport["run"]>[0]) => {
        const r = await transport.run(spec);
        if (r.unreachable !== undefined) watch.lost ??= r.unreachable;
        return r;
      },
    } as Transport,
  };
  return watch;
}
