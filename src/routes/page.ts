import type { Context } from 'hono';
import { pickLocale } from '../i18n/locale.ts';
import { translator } from '../i18n/messages.ts';
import type { PageContext } from '../../views/layout.tsx';
import type { AppDeps } from './context.ts';

/** Language and brand of a public page: ?lang=, then the contact's locale, then Accept-Language. */
export function pageContext(deps: AppDeps, c: Context, contactLocale?: string | null): PageContext {
  const locale = pickLocale({
    explicit: c.req.query('lang'),
    contact: contactLocale,
    acceptLanguage: c.req.header('accept-language'),
    fallback: deps.config.defaultLocale,
  });
  return { locale, t: translator(locale), brand: deps.config.brandName };
}
