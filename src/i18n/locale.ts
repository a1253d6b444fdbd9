import { LOCALES, type Locale } from './messages.ts';

const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

/**
 * The language of a page: an explicit choice (?lang=), then the contact's own locale, then the
 * browser's Accept-Language (RFC 9110 §12.5.4, by q-value), then the installation default.
 */
export function pickLocale(input: { explicit?: string | undefined; contact?: string | null | undefined; acceptLanguage?: string | undefined; fallback: Locale }): Locale {
  if (isLocale(input.explicit)) return input.explicit;
  if (isLocale(input.contact)) return input.contact;
  return fromAcceptLanguage(input.acceptLanguage) ?? input.fallback;
}

export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale);
}
