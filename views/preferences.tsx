import { Layout, type PageContext } from './layout.tsx';
import type { MessageKey } from '../src/i18n/messages.ts';

export interface TopicSwitch {
  id: string;
  name: string;
  description: string;
  status: 'subscribed' | 'unsubscribed' | 'pending';
}

/** Notices a page may show after a change (PRG: POST → 303 → GET ?done=…); a fixed set, never free text. */
export const NOTICES = {
  saved: 'prefs.saved',
  confirm: 'prefs.confirm.sent',
  'email-done': 'prefs.email.done',
} as const satisfies Record<string, MessageKey>;
export type Notice = keyof typeof NOTICES;

export interface PreferencesProps {
  ctx: PageContext;
  email: string;
  csrf: string;
  topics: TopicSwitch[];
  unsubscribedAll: boolean;
  blocked: boolean;
  pausedUntil: string | null;
  noProfiling: boolean;
  /** Signed in by a link mailed to the address, recently (step-up: a footer link may have been forwarded). */
  verified: boolean;
  notice?: Notice | undefined;
  /** Right after "unsubscribe from everything": the grant that lets this page undo it at once. */
  undo?: string | undefined;
}

/** The hidden anti-forgery field every session form carries (beside the Origin check). */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

/**
 * /preferences: topics with a switch each, unsubscribe from everything, pause, language,
 * objection to profiling, and the rights that need a fresh sign-in. Plain forms, no script.
 */
export function PreferencesPage(props: PreferencesProps) {
  const { t, locale } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('prefs.title')}>
      <h1>{t('prefs.title')}</h1>
      <p>{t('prefs.lead', { email: props.email })}</p>
      {props.notice && (
        <p class="status" role="status">
          {t(NOTICES[props.notice], { email: props.email })}
        </p>
      )}
      {props.blocked && <p class="warning">{t('prefs.blocked')}</p>}

      <form method="post" action="/preferences">
        <Csrf token={props.csrf} />
        <fieldset>
          <legend>{t('prefs.topics')}</legend>
          <ul class="switches">
            {props.topics.map((topic) => (
              <li>
                <input type="hidden" name="shown" value={topic.id} />
                <input type="checkbox" role="switch" class="switch" id={`topic-${topic.id}`} name="topic" value={topic.id} checked={topic.status !== 'unsubscribed'} aria-describedby={`topic-${topic.id}-about`} />
                <label for={`topic-${topic.id}`}>
                  <strong>{topic.name}</strong>
                  <span class="muted" id={`topic-${topic.id}-about`}>
                    {topic.description}
                    {topic.status === 'pending' && <em> ({t('prefs.pending')})</em>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <p class="field">
          <label for="locale">{t('prefs.language')}</label>
          <select id="locale" name="locale">
            <option value="nl" selected={locale === 'nl'}>
              Nederlands
            </option>
            <option value="en" selected={locale === 'en'}>
              English
            </option>
          </select>
        </p>
        <p class="check">
          <input type="checkbox" id="no-profiling" name="noProfiling" value="1" checked={props.noProfiling} aria-describedby="no-profiling-help" />
          <label for="no-profiling">{t('prefs.profiling')}</label>
        </p>
        <p class="muted" id="no-profiling-help">
          {t('prefs.profiling.help')}
        </p>
        <button type="submit" class="primary">
          {t('prefs.save')}
        </button>
      </form>

      <section aria-labelledby="all-title">
        <h2 id="all-title">{t('prefs.all.title')}</h2>
        {props.unsubscribedAll && <p class="status">{t('prefs.all.off')}</p>}
        <form method="post" action="/preferences/all" class="actions">
          <Csrf token={props.csrf} />
          {props.undo && <input type="hidden" name="undo" value={props.undo} />}
          {props.unsubscribedAll ? (
            <button type="submit" name="mail" value="on" class="secondary">
              {t('prefs.all.undo')}
            </button>
          ) : (
            <button type="submit" name="mail" value="off" class="secondary">
              {t('prefs.all.button')}
            </button>
          )}
        </form>
      </section>

      <section aria-labelledby="pause-title">
        <h2 id="pause-title">{t('prefs.pause.title')}</h2>
        {props.pausedUntil ? <p class="status">{t('prefs.pause.until', { date: props.pausedUntil })}</p> : <p>{t('prefs.pause.lead')}</p>}
        <form method="post" action="/preferences/pause" class="actions">
          <Csrf token={props.csrf} />
          {props.pausedUntil && (
            <button type="submit" name="days" value="0" class="secondary">
              {t('prefs.pause.resume')}
            </button>
          )}
          <button type="submit" name="days" value="30" class="secondary">
            {t('prefs.pause.30')}
          </button>
          <button type="submit" name="days" value="90" class="secondary">
            {t('prefs.pause.90')}
          </button>
        </form>
      </section>

      <section aria-labelledby="data-title">
        <h2 id="data-title">{t('prefs.data.title')}</h2>
        <p>{t('prefs.data.lead')}</p>
        {props.verified ? (
          <>
            <ul class="links">
              <li>
                <a href="/preferences/history">{t('prefs.history')}</a>
              </li>
              <li>
                <a href="/preferences/erase">{t('prefs.erase')}</a>
              </li>
            </ul>
            <form method="post" action="/preferences/data" class="actions">
              <Csrf token={props.csrf} />
              <button type="submit" class="secondary">
                {t('prefs.download')}
              </button>
            </form>
            <form method="post" action="/preferences/email">
              <Csrf token={props.csrf} />
              <p class="field">
                <label for="new-email">{t('prefs.email.label')}</label>
                <input type="email" id="new-email" name="email" required autocomplete="email" maxlength={254} />
              </p>
              <button type="submit" class="secondary">
                {t('prefs.email.button')}
              </button>
            </form>
          </>
        ) : (
          <form method="post" action="/preferences/verify" class="actions">
            <Csrf token={props.csrf} />
            <p class="muted">{t('prefs.data.stepup')}</p>
            <button type="submit" class="secondary">
              {t('prefs.data.stepup.button')}
            </button>
          </form>
        )}
      </section>

      <form method="post" action="/preferences/sign-out" class="signout">
        <Csrf token={props.csrf} />
        <button type="submit" class="link">
          {t('prefs.signout')}
        </button>
      </form>
    </Layout>
  );
}

/** A page with a title, a line and an optional way on: the "check your inbox" kind. */
export function MessagePage(props: { ctx: PageContext; title: string; body: string; link?: { href: string; label: string } | undefined; role?: 'status' }) {
  return (
    <Layout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p role={props.role}>{props.body}</p>
      {props.link && (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      )}
    </Layout>
  );
}

/** /preferences/login: one field; the answer is the same whether the address is known. */
export function LoginPage(props: { ctx: PageContext; minutes: number }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('login.title')}>
      <h1>{t('login.title')}</h1>
      <p>{t('login.lead', { minutes: String(props.minutes) })}</p>
      <form method="post" action={`/preferences/login?lang=${props.ctx.locale}`}>
        <p class="field">
          <label for="email">{t('login.email')}</label>
          <input type="email" id="email" name="email" required autocomplete="email" maxlength={254} />
        </p>
        <button type="submit" class="primary">
          {t('login.button')}
        </button>
      </form>
    </Layout>
  );
}

/**
 * The page in front of a single-use link (sign-in, topic or address confirmation). GET shows
 * it and uses nothing: a mail scanner that opens the link must not use it up.
 */
export function LinkButtonPage(props: { ctx: PageContext; title: string; lead: string; button: string; action: string }) {
  return (
    <Layout ctx={props.ctx} title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.lead}</p>
      <form method="post" action={props.action} class="actions">
        <button type="submit" class="primary">
          {props.button}
        </button>
      </form>
    </Layout>
  );
}

export interface HistoryLine {
  at: string;
  text: string;
  via: string;
}

export function HistoryPage(props: { ctx: PageContext; lines: HistoryLine[] }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('history.title')}>
      <h1>{t('history.title')}</h1>
      <p>{t('history.lead')}</p>
      {props.lines.length === 0 ? (
        <p>{t('history.empty')}</p>
      ) : (
        <ol class="history">
          {props.lines.map((line) => (
            <li>
              <time>{line.at}</time>
              <span>{line.text}</span>
              <span class="muted">{line.via}</span>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="/preferences">{t('history.back')}</a>
      </p>
    </Layout>
  );
}

export function EraseConfirmPage(props: { ctx: PageContext; email: string; csrf: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('erase.title')}>
      <h1>{t('erase.title')}</h1>
      <p>{t('erase.lead', { email: props.email })}</p>
      <p class="muted">{t('erase.keep')}</p>
      <form method="post" action="/preferences/erase" class="actions">
        <Csrf token={props.csrf} />
        <button type="submit" name="confirm" value="yes" class="danger">
          {t('erase.button')}
        </button>
      </form>
      <p>
        <a href="/preferences">{t('erase.cancel')}</a>
      </p>
    </Layout>
  );
}
