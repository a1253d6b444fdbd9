/**
 * One error type for everything a caller can get wrong or ask for that is not there. The code
 * decides the HTTP status in one place (routes/errors.ts); core knows nothing of HTTP.
 */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_link',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  /** A configured bound was reached (e.g. webhook endpoints per API key). */
  'limit_reached',
  /** The path exists, but not with this method. */
  'method_not_allowed',
  /** A service optbox depends on (the mail server) failed for now: try again later. */
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

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
