// The rule for ids (elements, groups, profiles, credentials, flows). Apart from the schemas, so
// code that checks one id (saving a credential) does not load the schema library for it.

/** Ids are slugs so they read well on a command line and in step paths. */
export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
export const SLUG_RULE = 'must start with a letter or digit and hold only letters, digits, ".", "_", "@" or "-"';
export const SLUG_MAX = 128;

/** Why `id` is not a valid id, or undefined when it is. */
export function slugProblem(id: string): string | undefined {
  if (!SLUG_PATTERN.test(id)) return SLUG_RULE;
  if (id.length > SLUG_MAX) return `must be at most ${SLUG_MAX} characters`;
  return undefined;
}
