import type { Locale } from '../../src/i18n/messages.ts';
import type { PreparedMail } from '../../src/mail/hook.ts';
import type { TemplateEntry } from '../../src/mail/preview.ts';
import { ConsoleLayout, type ConsoleViewer } from './layout.tsx';

const LANGUAGE: Record<Locale, string> = { nl: 'Dutch', en: 'English' };
const previewPath = (name: string, locale: Locale) => `/admin/settings/templates/${encodeURIComponent(name)}/${locale}`;

/** /admin/settings/templates: every mail template, each with a preview per language. */
export function TemplatesPage(props: { viewer: ConsoleViewer; entries: TemplateEntry[]; templatesDir: string | null }) {
  return (
    <ConsoleLayout title="Mail templates" viewer={props.viewer} current="settings">
      <p><a href="/admin/settings">← Settings</a></p>
      <h1>Mail templates</h1>
      <p class="muted">
        The built-in templates{props.templatesDir ? ', with the ones in TEMPLATES_DIR over them' : ''}, rendered with sample data for a made-up recipient. Previewing sends nothing and stores nothing.
      </p>
      <section class="panel">
        <div class="table-wrap" tabindex={0}>
          <table>
            <caption class="visually-hidden">Mail templates</caption>
            <thead>
              <tr><th scope="col">Template</th><th scope="col">What it is</th><th scope="col">Preview</th></tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr>
                  <th scope="row"><code>{e.name}</code></th>
                  <td>{e.own ? <>{e.what} <span class="tag">sent by optbox</span></> : e.what}</td>
                  <td>
                    <a href={previewPath(e.name, 'nl')}>Dutch</a>
                    {' · '}
                    <a href={previewPath(e.name, 'en')}>English</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </ConsoleLayout>
  );
}

/** One template in one language: subject, the headers the hook adds, the text part, and the HTML framed from its own route. */
export function TemplatePreviewPage(props: { viewer: ConsoleViewer; entry: TemplateEntry; locale: Locale; renderedLocale: Locale; file: string; hasSubject: boolean; topicName: string | null; mail: PreparedMail }) {
  const { entry, locale, mail } = props;
  const headers = Object.entries(mail.headers);
  return (
    <ConsoleLayout title={`Template ${entry.name} (${LANGUAGE[locale]})`} viewer={props.viewer} current="settings">
      <p><a href="/admin/settings/templates">← Mail templates</a></p>
      <h1>
        <code>{entry.name}</code> in {LANGUAGE[locale]}
      </h1>
      <p>
        {locale === 'nl' ? <a href={previewPath(entry.name, 'en')}>Show in English</a> : <a href={previewPath(entry.name, 'nl')}>Show in Dutch</a>}
      </p>
      {props.renderedLocale !== locale ? (
        <p class="notice" role="status">This template has no {LANGUAGE[locale]} version: the {LANGUAGE[props.renderedLocale]} one is sent instead, shown here.</p>
      ) : null}
      <section class="panel">
        <dl class="facts">
          <div><dt>File</dt><dd><code>{props.file}</code></dd></div>
          <div><dt>Kind</dt><dd>{entry.own ? 'Sent by optbox itself (transactional: no list headers, no unsubscribe link)' : `Marketing, shown for topic ${props.topicName ?? ''}`}</dd></div>
          <div><dt>Subject</dt><dd>{props.hasSubject ? mail.subject : <span class="muted">{mail.subject}</span>}</dd></div>
        </dl>
        <h2>Headers the mail hook adds</h2>
        {headers.length === 0 ? (
          <p class="muted">None: transactional mail carries no List-Unsubscribe.</p>
        ) : (
          <pre class="prewrap break">{headers.map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
        )}
        <p class="muted">The links are signed for a made-up recipient: they lead to a "link not valid" page.</p>
      </section>
      <section class="panel">
        <h2>HTML part</h2>
        <iframe src={`${previewPath(entry.name, locale)}/html`} title={`HTML part of ${entry.name} in ${LANGUAGE[locale]}`} sandbox="" width="100%" height="640" loading="lazy" referrerpolicy="no-referrer"></iframe>
      </section>
      <section class="panel">
        <h2>Text part</h2>
        <pre class="prewrap break">{mail.text}</pre>
      </section>
    </ConsoleLayout>
  );
}
