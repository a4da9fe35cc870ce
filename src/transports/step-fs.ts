/**
 * Which TargetFs a step gets: node:fs when its target is this machine and it runs as
 * cairn's own user, else shell commands through the step's transport, with its
 * become (so `become: true` writes a root-owned file as root on this machine too).
 */
import { needsSudo } from "./become.js";
import type { TargetFs } from "./fs.js";
import { localFs } from "./local-fs.js";
import { shellFs } from "./shell-fs.js";
import type { Transport } from "./transport.js";

export interface StepFsOptions {
  become: boolean;
  becomeUser: string | null;
  signal: AbortSignal;
}

/** Builds the file system of one step's target. */
export type TargetFsFactory = (transport: Transport, opts: StepFsOptions) => TargetFs;

export const targetFsFor: TargetFsFactory = (transport, opts) =>
  transport.name === "local" && !needsSudo(opts, process.getuid?.() ?? null)
    ? localFs()
    : shellFs(transport, opts);
