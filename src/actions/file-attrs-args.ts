/** Reads the attribute args shared by file-writing actions: mode, owner, group. */
import { optString } from "./args.js";
import type { WantedAttrs } from "./attrs.js";
import { parseMode } from "./mode.js";
import { resolveGid, resolveUid } from "./owner.js";

export async function wantedAttrs(args: Record<string, unknown>): Promise<WantedAttrs> {
  return {
    mode: parseMode(args.mode),
    uid: await resolveUid(optString(args, "owner")),
    gid: await resolveGid(optString(args, "group")),
  };
}
