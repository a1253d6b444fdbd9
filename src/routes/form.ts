import type { Context } from 'hono';
import { OptboxError } from '../core/errors.ts';

export type FormBody = Record<string, string | string[]>;

/** A urlencoded or multipart form of text fields; invalid_input when it is anything else. */
export async function readForm(c: Context): Promise<FormBody> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) throw new OptboxError('unsupported_media_type', 'expected a form');
  try {
    const body = await c.req.parseBody({ all: true });
    const out: FormBody = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
      else throw new Error('file');
    }
    return out;
  } catch {
    throw new OptboxError('invalid_input', 'the form could not be read');
  }
}
