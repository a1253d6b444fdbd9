import { Hono } from 'hono';
import { allTopics } from '../../core/topics.ts';
import { OptboxError } from '../../core/errors.ts';
import type { Locale } from '../../i18n/messages.ts';
import { PREVIEW_LOCALES, previewTemplate, templateCatalogue } from '../../mail/preview.ts';
import { TemplatePreviewPage, TemplatesPage } from '../../../views/admin/settings-templates.tsx';
import type { AppDeps } from '../context.ts';
import { SECURITY_HEADERS } from '../security-headers.ts';
import { param, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

/** The console's own policy, plus framing its own pages: the preview page frames the HTML route below. */
const PAGE_CSP = `${SECURITY_HEADERS['Content-Security-Policy']}; frame-src 'self'`;

/**
 * The framed HTML of a mail: the sender's markup, so it runs in a sandbox (unique origin, no
 * script, no forms, no navigation), may use inline styles (mail needs them), and loads images
 * only from data: and https: (as a mail client would). Only the console may frame it.
 */
const MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; form-action 'none'; base-uri 'none'; sandbox; frame-ancestors 'self'";

/**
 * Mail templates: the list, one template in one language, and its HTML on its own route. All
 * GET, all read-only: previews render for a made-up recipient (src/mail/preview.ts), so nothing
 * is written to the store.
 */
export function createTemplateSettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core, config } = deps;
  const r = new Hono<ConsoleEnv>();

  async function preview(c: ConsoleContext) {
    const name = param(c, 'name');
    const locale = param(c, 'locale') as Locale;
    const result = (PREVIEW_LOCALES as readonly string[]).includes(locale) ? previewTemplate({ hook: await deps.mail.hook(), config, topics: await allTopics(core) }, name, locale) : undefined;
    if (!result) throw new OptboxError('not_found', 'no such template or language');
    return { ...result, requested: locale };
  }

  k.add(r, 'GET', '/admin/settings/templates', 'read', async (c) => c.html(<TemplatesPage viewer={k.viewer(c)} entries={templateCatalogue(await deps.mail.hook())} templatesDir={config.mail.templatesDir ?? null} />));

  k.add(r, 'GET', '/admin/settings/templates/:name/:locale', 'read', async (c) => {
    const p = await preview(c);
    c.header('Content-Security-Policy', PAGE_CSP);
    const topicName = p.topic ? p.topic.nameEn : null;
    return c.html(<TemplatePreviewPage viewer={k.viewer(c)} entry={p.entry} locale={p.requested} renderedLocale={p.locale} file={p.file} hasSubject={p.hasSubject} topicName={topicName} mail={p.mail} />);
  });

  k.add(r, 'GET', '/admin/settings/templates/:name/:locale/html', 'read', async (c) => {
    const p = await preview(c);
    c.header('Content-Security-Policy', MAIL_CSP);
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.html(p.mail.html);
  });

  return r;
}
