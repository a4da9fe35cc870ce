/**
 * The real sshd the SSH tests talk to (implemented in sshd-server.mjs, shared with the
 * benchmarks). Tests skip only when `sshdSkipReason()` says so: not root, or sshd not
 * installed (`.ci/run` installs openssh-server).
 */
export {
  ensureUser,
  freePort,
  keygen,
  SSHD,
  type Sshd,
  sshdSkipReason,
  startSshd,
} from "./sshd-server.mjs";
