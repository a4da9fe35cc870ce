/**
 * The `!secret NAME` YAML tag (SPEC §1.7) for vars files and playbook vars: the value
 * is the named secret, so the file holds a reference and never the value. It reads as
 * the reference string `«secret:NAME»` that the planner and driver understand.
 */
import type { ScalarTag } from "yaml";
import { secretRef } from "../template/secret.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const secretTag: ScalarTag = {
  tag: "!secret",
  resolve(value, onError) {
    const name = value.trim();
    if (!NAME.test(name)) onError("!secret takes the name of a secret (a variable name)");
    return secretRef(name);
  },
};
