import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { afterAnswer } from '../../auth/after-answer.ts';
import { createRateLimiter } from '../../auth/rate-limit.ts';
import { createSubscriberAuth, type SubscriberSession } from '../../auth/subscriber-sessions.ts';
import { contactById } from '../../core/contacts.ts';
import { normalizeEmail } from '../../core/email.ts';
import { eraseContact } from '../../core/erasure.ts';
import { OptboxError } from '../../core/errors.ts';
import {
  confirmEmailChange,
  confirmationTopic,
  confirmTopic,
  consentHistory,
  contactForSignIn,
  exportContactData,
  openPreferencesLink,
  pauseMail,
  peekOnceToken,
  preferencesOf,
  requestEmailChange,
  savePreferences,
  setAllMail,
  signOnceToken,
  useOnceToken,
} from '../../core/preferences.ts';
import type { ContactRow, ConsentEventRow } from '../../db/store.ts';
import type { MessageKey } from '../../i18n/messages.ts';
import { mailHookFor } from '../../mail/hook.ts';
import { createMailer } from '../../mail/transport.ts';
import { maskEmail, type PageContext } from '../../../views/layout.tsx';
import { EraseConfirmPage, HistoryPage, LinkButtonPage, LoginPage, MessagePage, NOTICES, PreferencesPage, type Notice } from '../../../views/preferences.tsx';
import { clientIp, requestEvidence } from '../client-ip.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { pageContext as basePageContext } from '../page.ts';

type Signed = { session: SubscriberSession; contact: ContactRow };

/** The preference center's pages: same-origin referrer policy (see PageContext.referrer). */
function pageContext(...args: Parameters<typeof basePageContext>): PageContext {
  return { ...basePageContext(...args), referrer: 'same-origin' };
}

/**
 * The preference center (issue 5): `GET /p/:token` opens a session from a mail's footer link
 * and sends the browser on to `/preferences` (the token leaves the address bar and Referer);
 * `/preferences…` are the pages. Every form is a POST behind the Origin check (app.ts) and a
 * per-session token; every GET only shows (DESIGN promise 2) — single-use links are used by the
 * button on the page they open, so a mail scanner that fetches them uses nothing up.
 */
export function createPreferencesRoutes(deps: AppDeps) {
  const { core, config } = deps;
  const prefs = config.preferences;
  const mailer = deps.mailer ?? createMailer(config, deps.logger);
  const auth = createSubscriberAuth(core.store.sessions.luciaAdapter, { secure: config.publicUrl.startsWith('https:'), idleMinutes: prefs.sessionIdleMinutes });
  const window = 15 * 60_000;
  const perAddress = createRateLimiter({ limit: prefs.loginLimitPerAddress, windowMs: window, now: () => core.clock.now() });
  const perIp = createRateLimiter({ limit: prefs.loginLimitPerIp, windowMs: window, now: () => core.clock.now() });

  const csrfToken = (session: SubscriberSession) => core.evidenceHash(`csrf\0${session.id}`);
  const verified = (session: SubscriberSession) => session.verifiedAt !== null && core.clock.now() - session.verifiedAt < prefs.stepUpMinutes * 60_000;

  /** The signed-in contact, or null. Refreshes the cookie when lucia extended the session. */
  async function signedIn(c: Context): Promise<Signed | null> {
    const result = await auth.validate(c.req.header('cookie'));
    if (result.cookie) c.header('Set-Cookie', result.cookie, { append: true });
    if (!result.session) return null;
    if (result.contact.status === 'erased' || !result.contact.email) return null;
    return { session: result.session, contact: result.contact };
  }

  /** A POST from a session form: signed in, and the form's token matches the session. */
  async function formOf(c: Context, options: { verified?: boolean } = {}): Promise<Signed & { body: Record<string, string | string[]> }> {
    const signed = await signedIn(c);
    if (!signed) throw new OptboxError('unauthorized', '');
    const body = await readForm(c);
    if (body._csrf !== csrfToken(signed.session)) throw new OptboxError('forbidden', '');
    if (options.verified && !verified(signed.session)) throw new OptboxError('forbidden', '');
    return { ...signed, body };
  }

  async function sendMail(template: 'login' | 'confirm' | 'confirm-address', to: string, locale: 'nl' | 'en', data: Record<string, unknown>) {
    const hook = await mailHookFor(deps);
    const mail = await hook.prepare({ to, template, transactional: true, locale, data });
    if (!mail.send) {
      deps.logger.warn({ template, reason: mail.reason }, 'mail not sent: the address is suppressed for all mail');
      return;
    }
    await mailer.send({ to: mail.to, subject: mail.subject, html: mail.html, text: mail.text });
  }

  /** Mail a single-use sign-in link to the contact's own address. */
  async function mailSignIn(contact: ContactRow) {
    const { token } = signOnceToken(core, contact.id, 'signin', prefs.loginLinkMinutes);
    await sendMail('login', contact.email!, contact.locale, { loginUrl: `${config.publicUrl}/preferences/signin/${token}`, minutesValid: prefs.loginLinkMinutes });
  }

  /** Mail a confirmation link for a topic (or '*', all mail) to the contact's own address. */
  async function mailConfirmation(contact: ContactRow, topicId: string, lang: 'nl' | 'en') {
    const topic = (await confirmationTopic(core, `topic:${topicId}`))!;
    const { token } = signOnceToken(core, contact.id, `topic:${topicId}`, prefs.loginLinkMinutes);
    await sendMail('confirm', contact.email!, lang, { confirmUrl: `${config.publicUrl}/preferences/confirm/${token}`, topicName: lang === 'nl' ? topic.nameNl : topic.nameEn, minutesValid: prefs.loginLinkMinutes });
  }

  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');
  const seeOther = (c: Context, path: string) => {
    noStore(c);
    return c.redirect(path, 303);
  };

  // Forms must carry a real Origin for the CSRF check (no-referrer makes it "null" in some
  // browsers); same-origin still never sends a URL to another site. /p/ sets no-referrer itself.
  const referrer: MiddlewareHandler = async (c, next) => {
    c.header('Referrer-Policy', 'same-origin');
    await next();
  };

  return (
    new Hono<AppEnv>()
      .use('/preferences', referrer)
      .use('/preferences/*', referrer)
      // A footer link: a weak credential (DESIGN promise 7). Opens a session, changes no consent.
      .get('/p/:token', async (c) => {
        const contact = await openPreferencesLink(core, c.req.param('token'));
        const { cookie } = await auth.start(contact.id, null);
        c.header('Set-Cookie', cookie);
        c.header('Referrer-Policy', 'no-referrer');
        return seeOther(c, '/preferences');
      })

      .get('/preferences', async (c) => {
        const signed = await signedIn(c);
        if (!signed) return seeOther(c, '/preferences/login');
        const view = await preferencesOf(core, signed.contact.id);
        const ctx = pageContext(deps, c, view.contact.locale);
        const done = c.req.query('done');
        noStore(c);
        return c.html(
          <PreferencesPage
            ctx={ctx}
            email={maskEmail(view.contact.email!)}
            csrf={csrfToken(signed.session)}
            topics={view.topics.map(({ topic, status }) => ({
              id: topic.id,
              name: ctx.locale === 'nl' ? topic.nameNl : topic.nameEn,
              description: ctx.locale === 'nl' ? topic.descriptionNl : topic.descriptionEn,
              status,
            }))}
            unsubscribedAll={view.unsubscribedAll}
            blocked={view.blocked}
            pausedUntil={view.pausedUntil === null ? null : formatDate(ctx, view.pausedUntil)}
            noProfiling={view.contact.noProfiling}
            verified={verified(signed.session)}
            notice={done !== undefined && Object.hasOwn(NOTICES, done) ? (done as Notice) : undefined}
            undo={view.unsubscribedAll ? c.req.query('undo') : undefined}
          />,
        );
      })

      .post('/preferences', async (c) => {
        const { contact, body, ...signed } = await formOf(c);
        const shown = list(body.shown);
        const on = new Set(list(body.topic));
        for (const id of on) if (!shown.includes(id)) throw new OptboxError('invalid_input', 'a topic was switched that the page did not show');
        const locale = body.locale === undefined ? undefined : body.locale === 'nl' || body.locale === 'en' ? body.locale : bad('locale');
        const { needConfirmation } = await savePreferences(core, {
          contactId: contact.id,
          topics: Object.fromEntries(shown.map((id) => [id, on.has(id)])),
          locale,
          noProfiling: body.noProfiling === '1',
          request: requestEvidence(c),
          proven: verified(signed.session),
        });
        for (const topicId of needConfirmation) await mailConfirmation(contact, topicId, locale ?? contact.locale);
        return seeOther(c, `/preferences?done=${needConfirmation.length ? 'confirm' : 'saved'}`);
      })

      .post('/preferences/all', async (c) => {
        const { contact, body, session } = await formOf(c);
        if (body.mail !== 'on' && body.mail !== 'off') bad('mail');
        const undo = typeof body.undo === 'string' ? body.undo : undefined;
        const result = await setAllMail(core, { contactId: contact.id, on: body.mail === 'on', request: requestEvidence(c), proven: verified(session), undo });
        if (result.needConfirmation) await mailConfirmation(contact, '*', contact.locale);
        return seeOther(c, result.needConfirmation ? '/preferences?done=confirm' : result.undo ? `/preferences?done=saved&undo=${result.undo}` : '/preferences?done=saved');
      })

      .post('/preferences/pause', async (c) => {
        const { contact, body, session } = await formOf(c);
        const days = body.days === '0' ? 0 : body.days === '30' ? 30 : body.days === '90' ? 90 : bad('days');
        await pauseMail(core, { contactId: contact.id, days, request: requestEvidence(c), proven: verified(session) });
        return seeOther(c, '/preferences?done=saved');
      })

      .post('/preferences/sign-out', async (c) => {
        const { session, contact } = await formOf(c);
        c.header('Set-Cookie', await auth.end(session.id));
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('prefs.signedout')} body={ctx.t('prefs.signedout.body')} role="status" link={{ href: `/preferences/login?lang=${ctx.locale}`, label: ctx.t('prefs.signin.again') }} />);
      })

      // Step-up: a footer link may have been forwarded; reading or erasing data needs the inbox.
      .post('/preferences/verify', async (c) => {
        const { contact } = await formOf(c);
        if (!perAddress.take(core.evidenceHash(contact.email!))) throw new OptboxError('rate_limited', 'too many sign-in links');
        await mailSignIn(contact);
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('stepup.sent.title')} body={ctx.t('stepup.sent.body', { email: maskEmail(contact.email!), minutes: String(prefs.loginLinkMinutes) })} role="status" />);
      })

      .get('/preferences/login', (c) => {
        noStore(c);
        return c.html(<LoginPage ctx={pageContext(deps, c)} minutes={prefs.loginLinkMinutes} />);
      })

      // Magic link: the same answer whether the address is known or not (no enumeration).
      .post('/preferences/login', async (c) => {
        const body = await readForm(c);
        if (typeof body.email !== 'string') bad('email');
        const email = normalizeEmail(body.email as string);
        const ctx = pageContext(deps, c);
        if (!perIp.take(clientIp(c) ?? 'unknown') || !perAddress.take(core.evidenceHash(email))) {
          throw new OptboxError('rate_limited', 'too many sign-in links');
        }
        // Nothing that depends on whether the address is known runs before the answer is written
        // (not even the lookup): the answer takes as long for a known address as for an unknown one.
        afterAnswer(async () => {
          const contact = await contactForSignIn(core, email);
          if (contact) await mailSignIn(contact);
        }, (err) => deps.logger.error({ err }, 'sign-in mail not sent'));
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('login.sent.title')} body={ctx.t('login.sent.body', { minutes: String(prefs.loginLinkMinutes) })} role="status" />);
      })

      .get('/preferences/signin/:token', async (c) => {
        const claims = peekOnceToken(core, c.req.param('token'), 'signin');
        const contact = await contactById(core, claims.contactId);
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('signin.title')} lead={ctx.t('signin.lead')} button={ctx.t('signin.button')} action={`/preferences/signin/${c.req.param('token')}`} />);
      })

      .post('/preferences/signin/:token', async (c) => {
        const { contact } = await useOnceToken(core, c.req.param('token'), 'signin');
        // A new session id after sign-in (no fixation); the old one, if any, goes.
        const old = await auth.validate(c.req.header('cookie'));
        if (old.session) await auth.end(old.session.id);
        const { cookie } = await auth.start(contact.id, core.clock.now());
        c.header('Set-Cookie', cookie);
        return seeOther(c, '/preferences');
      })

      .get('/preferences/confirm/:token', async (c) => {
        const claims = peekOnceToken(core, c.req.param('token'), 'topic');
        const contact = await contactById(core, claims.contactId);
        const ctx = pageContext(deps, c, contact.locale);
        const topic = await confirmationTopic(core, claims.scope);
        if (!topic) throw new OptboxError('invalid_link', 'topic no longer exists');
        const name = ctx.locale === 'nl' ? topic.nameNl : topic.nameEn;
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('confirm.topic.title')} lead={ctx.t('confirm.topic.lead', { topic: name })} button={ctx.t('confirm.topic.button')} action={`/preferences/confirm/${c.req.param('token')}`} />);
      })

      .post('/preferences/confirm/:token', async (c) => {
        const { contact, topic } = await confirmTopic(core, { token: c.req.param('token'), request: requestEvidence(c) });
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('confirm.topic.title')} body={ctx.t('confirm.topic.done', { topic: ctx.locale === 'nl' ? topic.nameNl : topic.nameEn })} role="status" />);
      })

      .get('/preferences/history', async (c) => {
        const signed = await signedIn(c);
        if (!signed || !verified(signed.session)) return seeOther(c, signed ? '/preferences' : '/preferences/login');
        const ctx = pageContext(deps, c, signed.contact.locale);
        const events = await consentHistory(core, signed.contact.id);
        const topics = await core.store.topics.all();
        const topicName = (id: string | null) => {
          if (!id || id === '*') return ctx.t('history.all');
          const topic = topics.find((t) => t.id === id);
          return topic ? (ctx.locale === 'nl' ? topic.nameNl : topic.nameEn) : id;
        };
        noStore(c);
        return c.html(<HistoryPage ctx={ctx} lines={events.map((e) => historyLine(ctx, e, topicName)).reverse()} />);
      })

      // Access and portability (GDPR art. 15, 20): a POST, since the export is itself recorded.
      .post('/preferences/data', async (c) => {
        const { contact } = await formOf(c, { verified: true });
        const data = await exportContactData(core, { contactId: contact.id, request: requestEvidence(c) });
        noStore(c);
        return c.body(JSON.stringify(data, null, 2) + '\n', 200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': 'attachment; filename="my-email-data.json"',
        });
      })

      // Rectification (GDPR art. 16): confirmed by a link to the new address.
      .post('/preferences/email', async (c) => {
        const { contact, body } = await formOf(c, { verified: true });
        if (typeof body.email !== 'string') bad('email');
        if (!perAddress.take(core.evidenceHash(contact.email!))) throw new OptboxError('rate_limited', 'too many links');
        const { token, email } = await requestEmailChange(core, { contactId: contact.id, email: body.email as string, minutes: prefs.loginLinkMinutes });
        await sendMail('confirm-address', email, contact.locale, { confirmUrl: `${config.publicUrl}/preferences/email/confirm/${token}`, minutesValid: prefs.loginLinkMinutes });
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('login.sent.title')} body={ctx.t('prefs.email.sent', { email: maskEmail(email) })} role="status" link={{ href: '/preferences', label: ctx.t('history.back') }} />);
      })

      .get('/preferences/email/confirm/:token', async (c) => {
        const claims = peekOnceToken(core, c.req.param('token'), 'email');
        const contact = await contactById(core, claims.contactId);
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('confirm.email.title')} lead={ctx.t('confirm.email.lead')} button={ctx.t('confirm.email.button')} action={`/preferences/email/confirm/${c.req.param('token')}`} />);
      })

      .post('/preferences/email/confirm/:token', async (c) => {
        const current = await auth.validate(c.req.header('cookie'));
        const { contactId, email } = await confirmEmailChange(core, { token: c.req.param('token'), request: requestEvidence(c), keepSessionId: current.session?.id });
        const contact = await contactById(core, contactId);
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('confirm.email.title')} body={ctx.t('prefs.email.done', { email: maskEmail(email) })} role="status" link={{ href: '/preferences', label: ctx.t('history.back') }} />);
      })

      // Erasure (GDPR art. 17): a confirmation step, then only the hashed suppression remains.
      .get('/preferences/erase', async (c) => {
        const signed = await signedIn(c);
        if (!signed || !verified(signed.session)) return seeOther(c, signed ? '/preferences' : '/preferences/login');
        const ctx = pageContext(deps, c, signed.contact.locale);
        noStore(c);
        return c.html(<EraseConfirmPage ctx={ctx} email={maskEmail(signed.contact.email!)} csrf={csrfToken(signed.session)} />);
      })

      .post('/preferences/erase', async (c) => {
        const { contact, session, body } = await formOf(c, { verified: true });
        if (body.confirm !== 'yes') bad('confirm');
        const ctx = pageContext(deps, c, contact.locale);
        await eraseContact(core, { contactId: contact.id, source: 'preference-center', request: requestEvidence(c) });
        // The erasure removed the contact's sessions in its unit; clear this browser's cookie too.
        c.header('Set-Cookie', await auth.end(session.id));
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('erase.done.title')} body={ctx.t('erase.done.body')} role="status" />);
      })
  );
}

async function readForm(c: Context): Promise<Record<string, string | string[]>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) throw new OptboxError('unsupported_media_type', 'expected a form');
  try {
    const body = await c.req.parseBody({ all: true });
    const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>; // a field named __proto__ stays a field
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
      else throw new Error('file');
    }
    return out;
  } catch {
    throw new OptboxError('invalid_input', 'the form could not be read');
  }
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function bad(field: string): never {
  throw new OptboxError('invalid_input', `${field}: not one of the choices`, [{ field, message: 'not one of the choices' }]);
}

function formatDate(ctx: PageContext, ms: number): string {
  return new Intl.DateTimeFormat(ctx.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
}

const ACTIONS = new Set(['subscribe', 'subscribe-pending', 'unsubscribe', 'suppress', 'unsuppress', 'restrict', 'object', 'export', 'rectify', 'erase']);
const SOURCES = new Set(['one-click', 'unsubscribe-page', 'preference-center', 'api', 'admin', 'import', 'bounce-webhook', 'mailto', 'cli']);

/** One ledger row in plain words: what changed, for which topic, and how. */
function historyLine(ctx: PageContext, e: ConsentEventRow, topicName: (id: string | null) => string) {
  const at = new Intl.DateTimeFormat(ctx.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(e.at) + ' UTC';
  const text = ACTIONS.has(e.action) ? ctx.t(`history.action.${e.action}` as MessageKey, { topic: topicName(e.topic) }) : ctx.t('history.action.other', { action: e.action });
  const via = ctx.t('history.via', { source: SOURCES.has(e.source) ? ctx.t(`source.${e.source}` as MessageKey) : e.source });
  return { at, text, via };
}
