import { OptboxError } from '../../core/errors.ts';

/**
 * Opaque cursors: a client stores and sends them back, and must not build them. They are
 * base64url of a tagged position, so a cursor of one list is refused by another.
 */
export function encodeCursor(tag: string, position: unknown): string {
  return Buffer.from(JSON.stringify([tag, position])).toString('base64url');
}

export function decodeCursor<T>(tag: string, cursor: string, valid: (p: unknown) => p is T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed[0] !== tag || !valid(parsed[1])) {
    throw new OptboxError('invalid_input', 'cursor: not a cursor of this list', [{ field: 'cursor', message: 'not a cursor of this list' }]);
  }
  return parsed[1];
}

export const isSeq = (p: unknown): p is number => Number.isSafeInteger(p) && (p as number) >= 0;
