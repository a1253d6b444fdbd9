import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('mail configuration', () => {
  it('runs with no setup: defaults for every mail variable', () => {
    expect(loadConfig({}).mail).toEqual({ brandColor: '#1f6feb', logoUrl: undefined, postalAddress: '', privacyUrl: undefined, unsubscribeMailto: undefined, templatesDir: undefined });
  });

  it('reads the variables', () => {
    const mail = loadConfig({ BRAND_COLOR: '#AABBCC', BRAND_LOGO_URL: 'https://example.com/logo.png', POSTAL_ADDRESS: ' Keizersgracht 1, Amsterdam ', PRIVACY_URL: 'https://example.com/privacy', UNSUBSCRIBE_MAILTO: 'unsub@example.com', TEMPLATES_DIR: './my-templates' }).mail;
    expect(mail).toEqual({ brandColor: '#aabbcc', logoUrl: 'https://example.com/logo.png', postalAddress: 'Keizersgracht 1, Amsterdam', privacyUrl: 'https://example.com/privacy', unsubscribeMailto: 'unsub@example.com', templatesDir: './my-templates' });
  });

  it('names a bad value: a colour that is not one (it lands in CSS), a multi-line address, a mailto that is no address', () => {
    expect(() => loadConfig({ BRAND_COLOR: 'red;background:url(x)' })).toThrow(ConfigError);
    expect(() => loadConfig({ BRAND_COLOR: 'red' })).toThrow(/BRAND_COLOR/);
    expect(() => loadConfig({ POSTAL_ADDRESS: 'Street 1\nCity' })).toThrow(/POSTAL_ADDRESS/);
    expect(() => loadConfig({ UNSUBSCRIBE_MAILTO: 'x@y.z>, <https://evil.test' })).toThrow(/UNSUBSCRIBE_MAILTO/);
    expect(() => loadConfig({ PRIVACY_URL: 'javascript:alert(1)' })).toThrow(/PRIVACY_URL/);
  });
});
