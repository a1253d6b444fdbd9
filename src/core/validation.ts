import type { z } from 'zod';
import { OptboxError, type FieldProblem } from './errors.ts';

/** `emails.3` → `emails[3]`, under an optional prefix (`recipients[2]`): the field as a client writes it. */
export function fieldPath(path: PropertyKey[], prefix = ''): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), prefix) || 'body';
}

/**
 * Validate a value or throw invalid_input naming every bad field (at most 20). The one place
 * that turns zod's issues into the API's error fields: the routes and the mail hook use it.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: FieldProblem[] = parsed.error.issues.slice(0, 20).map((i) => ({ field: fieldPath(i.path, prefix), message: i.message }));
  throw new OptboxError('invalid_input', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}
