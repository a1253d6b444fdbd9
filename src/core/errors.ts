/**
 * One error type for everything a caller can get wrong or ask for that is not there. The code
 * decides the HTTP status in one place (routes/errors.ts); core knows nothing of HTTP.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_link'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  /** A service optbox depends on (the mail server) failed for now: try again later. */
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

export class OptboxError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'OptboxError';
  }
}

export const invalidInput = (field: string, message: string) => new OptboxError('invalid_input', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new OptboxError('not_found', `${what} not found`);
/** A link token that is malformed, tampered with, expired, of another purpose or for nobody. */
export const invalidLink = (why: string) => new OptboxError('invalid_link', why);
