import { z } from 'zod';
import { domainToASCII } from 'node:url';
import { OptboxError } from './errors.ts';

const MAX_LENGTH = 254; // RFC 5321 §4.5.3.1.3: a path of 256 octets, less the angle brackets
const LOCAL_MAX = 64; // RFC 5321 §4.5.3.1.1
// Dot-atom local part (RFC 5322 §3.2.3) widened to UTF-8 (RFC 6531); quoted local parts are refused.
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/**
 * An address as input, before normalizeEmail() judges it: the length bound it enforces, and
 * `format: email` for documents and generated clients (internationalized addresses, RFC 6531,
 * are accepted too).
 */
export const emailInput = z
  .string()
  .max(MAX_LENGTH)
  .meta({ format: 'email', description: 'An email address; trimmed, NFC-normalized and lower-cased by the server. At most 254 characters (RFC 5321).', example: 'ann@example.com' });

/**
 * The one normalization of an address, used for storage, lookup and the suppression key:
 * trimmed, Unicode NFC, lower-cased, and an internationalised domain in its A-label (ASCII,
 * `xn--`) form by UTS #46 processing (node:url domainToASCII): `user@bücher.de`,
 * `user@BÜCHER.de` and `user@xn--bcher-kva.de` are one address with one suppression key.
 * A-labels, not U-labels: they are what DNS and SMTP without SMTPUTF8 use (RFC 5890, 5321), and
 * ASCII has no second spelling. `Foo@Example.COM` and ` foo@example.com` are one address too.
 * Throws invalid_input (naming `field`) for anything that is not a deliverable-looking address.
 */
export function normalizeEmail(raw: string, field = 'email'): string {
  const email = asciiDomain(raw.trim().normalize('NFC').toLowerCase());
  const problem = email === null ? 'has an invalid domain' : emailProblem(email);
  if (problem) throw new OptboxError('invalid_input', `${field}: ${problem}`, [{ field, message: problem }]);
  return email!;
}

function emailProblem(email: string): string | null {
  if (email.length === 0) return 'is empty';
  if (email.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'is not an email address (expected name@domain)';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > LOCAL_MAX) return `has a local part longer than ${LOCAL_MAX} characters`;
  if (!LOCAL.test(local)) return 'has characters that are not allowed before the @';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return 'has an invalid domain';
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'has an invalid domain';
  return null;
}

/** The domain part in A-label form (an address without @ is left for emailProblem); null when UTS #46 refuses the domain. */
function asciiDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0) return email;
  const domain = email.slice(at + 1);
  if (/^[\x21-\x7e]*$/.test(domain) && !/xn--/.test(domain)) return email; // plain ASCII: nothing to map
  const ascii = domainToASCII(domain);
  return ascii ? `${email.slice(0, at)}@${ascii}` : null;
}
