/** Reads the attribute args shared by file-writing actions: mode, owner, group (names resolved on the target). */
import { type TargetFs, resolveId } from "../transports/fs.js";
import { optString } from "./args.js";
import type { WantedAttrs } from "./attrs.js";
import { parseMode } from "./mode.js";

export async function wantedAttrs(
  args: Record<string, unknown>,
  fs: TargetFs,
): Promise<WantedAttrs> {
  return {
    mode: parseMode(args.mode),
    uid: await resolveId(optString(args, "owner"), (n) => fs.userId(n), "user"),
    gid: await resolveId(optString(args, "group"), (n) => fs.groupId(n), "group"),
  };
}
