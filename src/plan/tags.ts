/**
 * Tag selection, as Ansible does it: with `--tags`, a step runs when one of its tags
 * is selected, or it is tagged `always`; a step tagged `never` runs only when one of
 * its other tags is selected explicitly. `--skip-tags` wins over both (`always` can be
 * skipped only by naming it). Returns the reason a step is filtered out, or null.
 */
export function tagFilterReason(
  stepTags: readonly string[],
  select: readonly string[],
  skip: readonly string[],
): string | null {
  const skipped = stepTags.filter((t) => skip.includes(t));
  if (skipped.length > 0) return `skipped by --skip-tags ${skipped.join(",")}`;
  const explicit = stepTags.filter((t) => t !== "always" && t !== "never" && select.includes(t));
  if (stepTags.includes("never") && explicit.length === 0 && !select.includes("never")) {
    return "tagged 'never'";
  }
  if (select.length === 0 || select.includes("all")) return null;
  if (explicit.length > 0 || stepTags.includes("always")) return null;
  if (stepTags.includes("never") && select.includes("never")) return null;
  if (select.includes("untagged") && stepTags.length === 0) return null;
  if (select.includes("tagged") && stepTags.length > 0) return null;
  return stepTags.length === 0
    ? `untagged; --tags ${select.join(",")} selected`
    : `tags ${stepTags.join(",")} not selected by --tags ${select.join(",")}`;
}
