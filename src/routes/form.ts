import type { Context } from 'hono';
import { invalidInput, OptboxError } from '../core/errors.ts';

/** The text fields of a form post by name; a repeated field is a list. */
export type FormBody = Record<string, string | string[]>;

/** The fields of an HTML form post (urlencoded or multipart); a repeated field becomes a list. Files are refused. */
export async function readForm(c: Context): Promise<FormBody> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) throw new OptboxError('unsupported_media_type', 'expected a form');
  try {
    const body = await c.req.parseBody({ all: true });
    const out: FormBody = Object.create(null) as FormBody; // a field named __proto__ stays a field
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

/** A field that may be given once or repeated, as a list. */
export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A form field whose value is not one the page offered. */
export function notAChoice(field: string): never {
  throw invalidInput(field, 'not one of the choices');
}
