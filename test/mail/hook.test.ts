import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/testing/index.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import type { MailHook, PreparedMail, PrepareResult } from '../../src/mail/hook.ts';
import { createMailHook } from '../../src/mail-hook.ts';
import { TemplateError } from '../../src/mail/templates.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let hook: MailHook;
beforeEach(async () => {
  t = await makeTestApp({ config: { mail: { ...testConfig().mail, postalAddress: 'Keizersgracht 1, 1015 CJ Amsterdam', privacyUrl: 'https://example.com/privacy', unsubscribeMailto: 'unsubscribe@optbox.test' } } });
  hook = await t.mailHook();
});
afterEach(() => t.close());

const add = (email: string, topics: string[], locale: 'nl' | 'en' = 'en') => upsertContact(t.core, { email, topics, locale, source: 'api' });
function sent(result: PrepareResult): PreparedMail {
  if (!result.send) throw new Error(`expected a mail, got a refusal: ${result.reason}`);
  return result;
}
const newsletter = (to: string, data: Record<string, unknown> = {}) => ({ to, topic: 'newsletter', template: 'newsletter', subject: 'November news', campaign: 'nov-2026', data: { firstName: 'Ann', body: 'First.\n\nSecond.', ...data } });

describe('prepare a marketing mail', () => {
  it('renders the template in the contact language with both personal links in the footer and the text part', async () => {
    const { contact } = await add('ann@example.com', ['newsletter'], 'nl');
    const mail = sent(await hook.prepare(newsletter('ann@example.com')));
    expect(mail.locale).toBe('nl');
    expect(mail.subject).toBe('November news');
    expect(mail.html).toContain('Hallo Ann,');
    expect(mail.html).toContain('<p style="margin:0 0 16px">Second.</p>');
    expect(mail.html).toContain(`href="${mail.unsubscribeUrl}">Uitschrijven</a>`);
    expect(mail.html).toContain(`href="${mail.preferencesUrl}">Voorkeuren</a>`);
    expect(mail.html).toContain('Keizersgracht 1, 1015 CJ Amsterdam');
    expect(mail.html).toContain('href="https://example.com/privacy"');
    expect(mail.html).toContain('background-color:#1f6feb'); // BRAND_COLOR, filled in per send
    expect(mail.text).toContain('Hallo Ann,');
    expect(mail.text).toContain(`Uitschrijven [${mail.unsubscribeUrl}]`);
    expect(mail.text).toContain(`Voorkeuren [${mail.preferencesUrl}]`);
    expect(mail.text).not.toContain('{{');

    // The unsub token names contact, topic and campaign; the prefs token only the contact.
    const unsubToken = mail.unsubscribeUrl!.replace('https://optbox.test/u/', '');
    expect(t.core.tokens.verify(unsubToken, 'unsub')).toMatchObject({ contactId: contact.id, topic: 'newsletter', campaign: 'nov-2026' });
    expect(t.core.tokens.verify(mail.preferencesUrl!.replace('https://optbox.test/p/', ''), 'prefs')).toMatchObject({ contactId: contact.id });
  });

  it('carries List-Unsubscribe (https first, mailto when configured) and List-Unsubscribe-Post', async () => {
    await add('bob@example.com', ['newsletter']);
    const mail = sent(await hook.prepare(newsletter('bob@example.com')));
    const token = mail.unsubscribeUrl!.split('/u/')[1];
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${mail.unsubscribeUrl}>, <mailto:unsubscribe@optbox.test?subject=unsubscribe%20${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('refuses with reason and scope instead of rendering', async () => {
    expect(await hook.prepare(newsletter('nobody@example.com'))).toEqual({ to: 'nobody@example.com', send: false, reason: 'unknown-contact', scope: 'newsletter' });
  });

  it('takes the subject from the template title when none is given', async () => {
    await add('cas@example.com', ['newsletter']);
    const mail = sent(await hook.prepare({ to: 'cas@example.com', topic: 'newsletter', template: 'newsletter' }));
    expect(mail.subject).toBe('optbox newsletter');
  });
});

describe('prepare a transactional mail', () => {
  it('has no List-Unsubscribe headers, no unsubscribe link and no preferences link', async () => {
    await add('dee@example.com', []);
    const mail = sent(await hook.prepare({ to: 'dee@example.com', template: 'login', transactional: true, data: { loginUrl: 'https://optbox.test/login/abc', minutesValid: 30 } }));
    expect(mail.headers).toEqual({});
    expect(mail.unsubscribeUrl).toBeNull();
    expect(mail.preferencesUrl).toBeNull();
    expect(mail.html).not.toContain('/p/');
    expect(mail.subject).toBe('Your sign-in link for optbox');
    expect(mail.html).toContain('href="https://optbox.test/login/abc"');
    expect(mail.html).not.toContain('Unsubscribe</a>');
    expect(mail.text).toContain('30 minutes');
  });

  it('renders the double opt-in confirmation for an unknown address in the asked language', async () => {
    const mail = sent(await hook.prepare({ to: 'new@example.com', template: 'confirm', transactional: true, locale: 'nl', data: { confirmUrl: 'https://optbox.test/confirm/xyz', topicName: 'Nieuwsbrief' } }));
    expect(mail.subject).toBe('Graag bevestigen: Nieuwsbrief van optbox');
    expect(mail.preferencesUrl).toBeNull();
    expect(mail.html).toContain('Ja, meld me aan');
  });
});

describe('hostile input', () => {
  it('escapes HTML in data, in the body and in a name', async () => {
    await add('eve@example.com', ['newsletter']);
    const mail = sent(await hook.prepare(newsletter('eve@example.com', { firstName: '<script>alert(1)</script>', body: '<img src=x onerror=alert(1)> & "quotes"' })));
    expect(mail.html).not.toContain('<script>alert(1)');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;quotes&quot;');
  });

  it('refuses CR/LF in a subject, naming the field', async () => {
    await add('fay@example.com', ['newsletter']);
    await expect(hook.prepare({ ...newsletter('fay@example.com'), subject: 'Hi\r\nBcc: victim@example.com' })).rejects.toMatchObject({ code: 'invalid_input', fields: [{ field: 'subject' }] });
  });

  it('flattens CR/LF that data brings into a subject made from the template title', async () => {
    const mail = sent(await hook.prepare({ to: 'gus@example.com', template: 'confirm', transactional: true, locale: 'en', data: { confirmUrl: 'https://x.test/c', topicName: 'News\r\nBcc: victim@example.com' } }));
    expect(mail.subject).toBe('Please confirm: News Bcc: victim@example.com from optbox');
  });

  it('does not let data override the links or the brand', async () => {
    await add('hal@example.com', ['newsletter']);
    const mail = sent(await hook.prepare(newsletter('hal@example.com', { unsubscribeUrl: 'https://evil.test/', brand: 'Evil', labels: 'Evil' })));
    expect(mail.html).not.toContain('evil.test');
    expect(mail.html).not.toContain('Evil');
  });

  it('names unknown fields, templates and bad addresses', async () => {
    await expect(hook.prepare({ ...newsletter('x@example.com'), tempalte: 'x' } as never)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(hook.prepare({ ...newsletter('x@example.com'), template: 'nope' })).rejects.toMatchObject({ fields: [{ field: 'template' }] });
    await expect(hook.prepare({ ...newsletter('x@example.com'), template: '../secrets' })).rejects.toMatchObject({ fields: [{ field: 'template' }] });
    await expect(hook.prepareBatch([newsletter('ok@example.com'), newsletter('not an address')])).rejects.toMatchObject({ fields: [{ field: 'recipients[1].to' }] });
    await expect(hook.prepareBatch([newsletter('ok@example.com'), { ...newsletter('ok@example.com'), topic: 'nope' }])).rejects.toMatchObject({ fields: [{ field: 'recipients[1].topic' }] });
    await expect(hook.prepareBatch([newsletter('ok@example.com'), { ...newsletter('ok@example.com'), transactional: true }])).rejects.toMatchObject({ fields: [{ field: 'recipients[1].topic' }] });
    await expect(hook.prepare({ to: 'ok@example.com', template: 'newsletter' })).rejects.toMatchObject({ fields: [{ field: 'topic', message: 'is required unless the mail is transactional' }] });
  });
});

describe('prepareBatch', () => {
  it('answers each recipient in order, across topics and transactional mail', async () => {
    await add('i1@example.com', ['newsletter']);
    await add('i2@example.com', ['marketing']);
    const results = await hook.prepareBatch([
      newsletter('i1@example.com'),
      newsletter('i2@example.com'),
      { to: 'i2@example.com', topic: 'marketing', template: 'newsletter', subject: 'Offer' },
      { to: 'i1@example.com', template: 'login', transactional: true, data: { loginUrl: 'https://x.test/l', minutesValid: 5 } },
    ]);
    expect(results.map((r) => [r.to, r.send, r.send ? r.subject : r.reason])).toEqual([
      ['i1@example.com', true, 'November news'],
      ['i2@example.com', false, 'not-subscribed'],
      ['i2@example.com', true, 'Offer'],
      ['i1@example.com', true, 'Your sign-in link for optbox'],
    ]);
  });
});

describe('TEMPLATES_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'optbox-templates-'));
    mkdirSync(join(dir, 'en'));
    mkdirSync(join(dir, 'partials'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports invalid MJML with template name and line when the hook is made', async () => {
    writeFileSync(join(dir, 'en', 'promo.mjml'), '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-colum>oops</mj-colum>\n    </mj-section>\n  </mj-body>\n</mjml>\n');
    const err = await createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toContain('en/promo (TEMPLATES_DIR/en/promo.mjml) line 4 (mj-colum)');
  });

  it('reports a problem inside a partial with the partial and where it is included', async () => {
    writeFileSync(join(dir, 'partials', 'footer.mjml'), '<mj-section>\n  <mj-column>\n    <mj-bogus />\n  </mj-column>\n</mj-section>\n');
    writeFileSync(join(dir, 'en', 'promo.mjml'), '<mjml>\n  <mj-body>\n    <mj-include path="../partials/footer.mjml" />\n  </mj-body>\n</mjml>\n');
    await expect(createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } })).rejects.toThrow(
      'en/promo (TEMPLATES_DIR/en/promo.mjml): Line 3 of TEMPLATES_DIR/partials/footer.mjml, included at line 3 (mj-bogus)',
    );
  });

  it('reports an include that is missing or outside the templates folder', async () => {
    writeFileSync(join(dir, 'en', 'promo.mjml'), '<mjml><mj-body><mj-include path="../partials/missing.mjml" /><mj-include path="../../../etc/passwd" type="html" /></mj-body></mjml>');
    await expect(createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } })).rejects.toThrow(/en\/promo .*mj-include was not found or not allowed/);
  });

  it('reports a broken Handlebars block too', async () => {
    writeFileSync(join(dir, 'en', 'promo.mjml'), '<mjml><mj-body><mj-section><mj-column><mj-text>{{#if x}}open</mj-text></mj-column></mj-section></mj-body></mjml>');
    await expect(createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } })).rejects.toThrow(/en\/promo .*Parse error on line 1/);
  });

  it('keeps the text part right when a Handlebars block wraps table rows', async () => {
    writeFileSync(join(dir, 'en', 'invoice.mjml'), '<mjml><mj-head><mj-title>Invoice</mj-title></mj-head><mj-body><mj-section><mj-column><mj-table>{{#each lines}}<tr><td>{{item}}</td><td>{{amount}}</td></tr>{{/each}}</mj-table><mj-text>Total {{total}}</mj-text></mj-column></mj-section></mj-body></mjml>');
    const own = await createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } });
    const mail = sent(await own.prepare({ to: 'kim@example.com', template: 'invoice', transactional: true, locale: 'en', data: { lines: [{ item: 'Tea', amount: '3.00' }, { item: 'Cake', amount: '4.50' }], total: '7.50' } }));
    expect(mail.html).toContain('<td>Cake</td>');
    expect(mail.text).toMatch(/Tea\s+3\.00/);
    expect(mail.text).toMatch(/Cake\s+4\.50/);
    expect(mail.text).toContain('Total 7.50');
  });

  it("uses an operator's template over the built-in one, with the same partials and variables", async () => {
    writeFileSync(join(dir, 'partials', 'footer.mjml'), '<mj-section><mj-column><mj-text><a href="{{unsubscribeUrl}}">{{labels.unsubscribe}}</a></mj-text></mj-column></mj-section>');
    writeFileSync(join(dir, 'en', 'newsletter.mjml'), '<mjml><mj-body><mj-section><mj-column><mj-text>Custom for {{firstName}}</mj-text></mj-column></mj-section><mj-include path="../partials/footer.mjml" /></mj-body></mjml>');
    const own = await createMailHook({ runtime: { core: t.core, config: { ...t.config, mail: { ...t.config.mail, templatesDir: dir } } } });
    await add('jo@example.com', ['newsletter']);
    const mail = sent(await own.prepare(newsletter('jo@example.com')));
    expect(mail.html).toContain('Custom for Ann');
    expect(mail.html).toContain(`href="${mail.unsubscribeUrl}">Unsubscribe</a>`);
    expect(own.templates()).toEqual(['confirm', 'confirm-address', 'login', 'newsletter', 'verify-request']); // the others stay built-in
    // Without <mj-title> the sender must give the subject.
    await expect(own.prepareBatch([newsletter('jo@example.com'), { ...newsletter('jo@example.com'), subject: undefined }])).rejects.toMatchObject({ fields: [{ field: 'recipients[1].subject' }] });
  });
});
