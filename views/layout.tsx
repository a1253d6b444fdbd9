import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Locale, Translate } from '../src/i18n/messages.ts';

export interface PageContext {
  locale: Locale;
  t: Translate;
  brand: string;
  /**
   * The page's referrer policy. Default no-referrer (tokens live in page URLs). The preference
   * center uses same-origin: under no-referrer a browser sends `Origin: null` with a form POST,
   * and browsers without Sec-Fetch-Site (older Safari and in-app web views) would then fail the
   * Origin check on every form; same-origin still never hands a URL to another site.
   */
  referrer?: 'no-referrer' | 'same-origin' | undefined;
}

/** The frame of every public page: language, brand, one stylesheet, no script (mail apps' browsers). */
export function Layout(props: { ctx: PageContext; title: string; children: Child }) {
  const { ctx } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <meta name="referrer" content={ctx.referrer ?? 'no-referrer'} />
          <title>{`${props.title} · ${ctx.brand} ${ctx.t('page.title.suffix')}`}</title>
          <link rel="stylesheet" href="/assets/optbox.css" />
        </head>
        <body>
          <header class="brand">{ctx.brand}</header>
          <main class="card">{props.children}</main>
          <footer class="note">{ctx.t('footer.privacy')}</footer>
        </body>
      </html>
    </>
  );
}

/** An address shown on a page reached by a link: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const shown = local.slice(0, local.length <= 4 ? 1 : 2);
  return `${shown}${'•'.repeat(Math.max(1, Math.min(6, local.length - shown.length)))}${email.slice(at)}`;
}
