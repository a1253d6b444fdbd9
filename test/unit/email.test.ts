import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/core/email.ts';
import { OptboxError } from '../../src/core/errors.ts';

describe('normalizeEmail', () => {
  it.each([
    ['Foo@Example.COM', 'foo@example.com'],
    ['  ann@example.com\n', 'ann@example.com'],
    ['first.last+tag@sub.example.nl', 'first.last+tag@sub.example.nl'],
    // NFC: "é" as e + combining acute becomes the single code point
    ['jose\u0301@example.com', 'jos\u00e9@example.com'],
    // IDNA: the domain in its A-label form, however it was written (UTS #46)
    ['ÉLODIE@exämple.de', 'élodie@xn--exmple-cua.de'],
    ['user@bücher.de', 'user@xn--bcher-kva.de'],
    ['user@BÜCHER.DE', 'user@xn--bcher-kva.de'],
    ['user@bu\u0308cher.de', 'user@xn--bcher-kva.de'],
    ['user@xn--bcher-kva.de', 'user@xn--bcher-kva.de'],
    ['user@XN--BCHER-KVA.de', 'user@xn--bcher-kva.de'],
    ['user@ＥＸＡＭＰＬＥ.com', 'user@example.com'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each([
    ['', 'is empty'],
    ['plainaddress', 'expected name@domain'],
    ['@example.com', 'expected name@domain'],
    ['ann@', 'expected name@domain'],
    ['ann@localhost', 'invalid domain'],
    ['ann@exa mple.com', 'invalid domain'],
    ['an n@example.com', 'not allowed'],
    ['ann..b@example.com', 'not allowed'],
    ['"quoted"@example.com', 'not allowed'],
    ['ann@-example.com', 'invalid domain'],
    ['ann@example.123', 'invalid domain'],
    ['ann@example.com\r\nBcc: x@evil.com', 'not allowed'],
    [`${'a'.repeat(65)}@example.com`, 'local part longer'],
    [`a@${'b'.repeat(250)}.com`, 'longer than 254'],
  ])('rejects %j naming the field', (input, problem) => {
    let error: unknown;
    try {
      normalizeEmail(input, 'emails[2]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptboxError);
    expect((error as OptboxError).code).toBe('invalid_input');
    expect((error as OptboxError).fields[0]).toMatchObject({ field: 'emails[2]' });
    expect((error as OptboxError).message).toContain(problem);
  });
});
