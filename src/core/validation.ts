import { z } from 'zod';
import { OptboxError, type FieldProblem } from './errors.ts';

/** A key that reads unambiguously after a dot; anything else (empty, dots, spaces) is quoted. */
const PLAIN_KEY = /^[\w$-]+$/;

/**
 * `emails.3` → `emails[3]`, under an optional prefix (`recipients[2]`): the field as a client
 * writes it. A key that would not read back after a dot is quoted: an empty topic key is
 * `topics[""]`, not `topics.`.
 */
export function fieldPath(path: PropertyKey[], prefix = ''): string {
  return (
    path.reduce<string>((acc, part) => {
      if (typeof part === 'number') return `${acc}[${part}]`;
      const key = String(part);
      if (!PLAIN_KEY.test(key)) return `${acc}[${JSON.stringify(key)}]`;
      return acc ? `${acc}.${key}` : key;
    }, prefix) || 'body'
  );
}

/**
 * One problem per input the client wrote: an unknown key is named by itself (`foo`, not the
 * object around it), and a bad record key by that key with what is wrong with it.
 */
function problems(issue: z.core.$ZodIssue, prefix: string): FieldProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: fieldPath([...issue.path, key], prefix), message: 'is not a known field' }));
  if (issue.code === 'invalid_key') return [{ field: fieldPath(issue.path, prefix), message: `is not a valid key: ${issue.issues.map((i) => i.message).join('; ')}` }];
  return [{ field: fieldPath(issue.path, prefix), message: issue.message }];
}

/**
 * Validate a value or throw invalid_input naming every bad field (at most 20). The one place
 * that turns zod's issues into the API's error fields: the routes and the mail hook use it.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.flatMap((i) => problems(i, prefix)).slice(0, 20);
  throw new OptboxError('invalid_input', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

/**
 * A topic id as input: a lower-case slug (the seeded `newsletter`, `marketing`, `updates` and
 * any an operator adds), so a client can tell a topic id from a typo before asking.
 */
export const topicIdInput = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'is not a topic id (a-z, 0-9, - and _)')
  .meta({ description: 'A topic id, e.g. `newsletter`.', example: 'newsletter' });
