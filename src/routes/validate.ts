import type { Context } from 'hono';
import type { z } from 'zod';
import { OptboxError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';

/** Parse and validate a JSON body, or throw a 4xx naming the bad field. Nothing runs before this passes. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new OptboxError('unsupported_media_type', 'send the body as application/json');
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new OptboxError('invalid_input', 'body: malformed JSON', [{ field: 'body', message: 'malformed JSON' }]);
  }
  return parseOrThrow(schema, raw);
}

/** Validate the query string (each parameter once; a repeated one is refused). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const all = c.req.queries();
  const raw: Record<string, string> = Object.create(null) as Record<string, string>; // a parameter named __proto__ stays a parameter
  for (const [name, values] of Object.entries(all)) {
    if (values.length > 1) throw new OptboxError('invalid_input', `${name}: given more than once`, [{ field: name, message: 'given more than once' }]);
    raw[name] = values[0]!;
  }
  return parseOrThrow(schema, raw);
}

/** Validate the path parameters. */
export function readParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseOrThrow(schema, c.req.param());
}
