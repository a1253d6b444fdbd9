/**
 * Redaction by what a value looks like, not by where it sits: whatever path, message or error
 * carries it, an address, a link token or a key never reaches the log. Used by the logger for
 * every string it writes (src/logger.ts) and for request paths.
 */

// RFC 5322-ish: enough to find an address inside free text (an SMTP reply, an error message).
const EMAIL = /[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+(?:@|%40)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu;
// A JWT (link tokens): three base64url segments, the first a JSON header ("eyJ").
const JWT = /eyJ[\w-]{5,}\.[\w-]*\.[\w-]*/g;
// optbox's own secrets: API keys and webhook secrets.
const KEY = /\b(?:obx_[\w-]{8,}|whsec_[\w+/=-]{8,})/g;
// Long random ids (session ids, link ids, other services' tokens): 20+ base64url characters
// mixing letters and digits. Hex digests (the ledger head, hashes) and UUIDs (request ids) are
// not secrets and stay.
const RANDOM = /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])(?![0-9a-fA-F-]+(?![\w-]))[\w-]{20,}(?![\w-])/g;
/** Cheap test first: most strings (paths, messages) hold nothing to cut. */
const SUSPECT = /[@%]|[\w-]{12,}/;
/** What RANDOM needs before it can match (a far cheaper scan than RANDOM itself). */
const LONG_RUN = /[\w-]{20,}/;

/**
 * A string with every address, token, key and long random id replaced by a placeholder. Each
 * pattern runs only on a string holding what it cannot match without (a JWT's "eyJ", a key's
 * prefix, an "@"): a request id or a route path costs a few substring tests, not four scans.
 */
export function redact(text: string): string {
  if (!SUSPECT.test(text)) return text;
  let out = text;
  if (out.includes('eyJ')) out = out.replace(JWT, ':token');
  if (out.includes('obx_') || out.includes('whsec_')) out = out.replace(KEY, ':key');
  if (out.includes('@') || out.includes('%40')) out = out.replace(EMAIL, ':email');
  if (LONG_RUN.test(out)) out = out.replace(RANDOM, ':token');
  return out;
}

/**
 * An error as the log keeps it: its type, code and a redacted message and stack. Nothing else:
 * errors carry the recipients they failed for (nodemailer's `rejected`, `envelope`, `response`),
 * request bodies and the like.
 */
export function safeError(err: Error): Record<string, unknown> {
  const e = err as Error & { code?: unknown; responseCode?: unknown; command?: unknown; cause?: unknown };
  return {
    type: e.name,
    message: redact(String(e.message ?? '')),
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    ...(typeof e.command === 'string' ? { command: redact(e.command) } : {}),
    ...(e.stack ? { stack: redact(e.stack) } : {}),
    ...(e.cause instanceof Error ? { cause: safeError(e.cause) } : {}),
  };
}

/**
 * Redact every string in a log record (objects and arrays walked, errors made safe); bounded
 * depth. A record with nothing to cut (most request lines) comes back as it is, not copied.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeError(value);
  if (depth >= 6) return '[…]';
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactDeep(v, depth + 1));
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    const cut = redactDeep(v, depth + 1);
    if (out) out[k] = cut;
    else if (cut !== v) {
      // The first change: copy the fields before it, and every field after it.
      out = {};
      for (const before of Object.keys(record)) {
        if (before === k) break;
        out[before] = record[before];
      }
      out[k] = cut;
    }
  }
  return out ?? value;
}

/**
 * A request path fit for logs: segments that hold a link token or an address are cut, whatever
 * the path looks like (`/u/…`, `/U/…`, `/u//…`, `/preferences/Signin/…`, the API's
 * `/suppressions/:email`).
 */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (!SUSPECT.test(segment)) return segment;
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        /* keep it as it is */
      }
      const cut = redact(decoded);
      if (cut === decoded) return segment;
      return cut.includes(':email') && !cut.includes(':token') ? ':email' : ':token';
    })
    .join('/');
}
