import { describe, expect, it } from 'vitest';
import { listUnsubscribeHeaders } from '../../src/mail/headers.ts';

describe('listUnsubscribeHeaders', () => {
  it('puts the https URI first and the mailto alternative after it (RFC 2369 §3.2, RFC 8058 §3.1)', () => {
    expect(listUnsubscribeHeaders({ unsubscribeUrl: 'https://optbox.example/u/abc.def-ghi_', token: 'abc.def-ghi_', mailto: 'unsub@example.com' })).toEqual({
      'List-Unsubscribe': '<https://optbox.example/u/abc.def-ghi_>, <mailto:unsub@example.com?subject=unsubscribe%20abc.def-ghi_>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('refuses a URI that would break the header: CR/LF, spaces, angle brackets or commas', () => {
    for (const bad of ['https://x.test/u/a\r\nBcc: v@x.test', 'https://x.test/u/a b', 'https://x.test/u/a>', 'https://x.test/u/a,<https://evil.test>']) {
      expect(() => listUnsubscribeHeaders({ unsubscribeUrl: bad, token: 'a' })).toThrow(/unsafe URI/);
    }
  });
});
