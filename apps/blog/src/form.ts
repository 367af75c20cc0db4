/**
 * The limits of the blog's form fields, in characters (Unicode code points, as PostgreSQL's
 * VARCHAR counts them), and their checks. The columns hold what the checks let through, so
 * hostile input gets the form back with a message, never a database error.
 */

export const LIMITS = {
  email: 100,
  name: 100,
  minPassword: 8,
  password: 1024,
  title: 512,
  markdown: 100_000,
} as const;

/** Request bodies above this many bytes are answered 413 before any handler runs. */
export const MAX_BODY_SIZE = 2 * 1024 * 1024;

export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** A message for the first field of `fields` that is empty or too long, else null. */
export function fieldError(fields: Record<string, [value: string, maxLength: number]>): string | null {
  for (const [label, [value, maxLength]] of Object.entries(fields)) {
    if (value === "") return `${label} is required.`;
    if (characterCount(value) > maxLength) return `${label} is too long (at most ${maxLength} characters).`;
  }
  return null;
}
