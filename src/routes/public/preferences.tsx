import { afterAnswer } from '../../auth/after-answer.ts';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { createPreferenceAuth, type SignedIn } from '../../auth/preference-auth.ts';
import { normalizeEmail } from '../../core/email.ts';
import { eraseContact } from '../../core/erasure.ts';
import { OptboxError } from '../../core/errors.ts';
import {
  confirmEmailChange,
  confirmTopic,
  consentHistory,
  contactForSignIn,
  contactOfOnceLink,
  contactOfPreferencesLink,
  exportContactData,
  pauseMail,
  pendingTopicOfLink,
  preferencesOf,
  requestEmailChange,
  savePreferences,
  setAllMail,
  signInLink,
  useSignInLink,
} from '../../core/preferences.ts';
import { allTopics } from '../../core/topics.ts';
import type { ActiveContact } from '../../core/contact.ts';
import { topicName } from '../../i18n/topics.ts';
import { maskEmail, type PageContext } from '../../../views/layout.tsx';
import { EraseConfirmPage, HistoryPage, LinkButtonPage, LoginPage, MessagePage, NOTICES, PreferencesPage, type Notice } from '../../../views/preferences.tsx';
import { formatDate, historyLines, topicSwitches } from '../../../views/preferences-model.ts';
import { clientIp, requestEvidence } from '../client-ip.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requestLogger } from '../request-log.ts';
import type { Logger } from '../../logger.ts';
import { list, notAChoice, readForm } from '../form.ts';
import { pageContext as basePageContext } from '../page.ts';

/** The preference center's pages: same-origin referrer policy (see PageContext.referrer). */
function pageContext(...args: Parameters<typeof basePageContext>): PageContext {
  return { ...basePageContext(...args), referrer: 'same-origin' };
}

/**
 * The preference center: `GET /p/:token` opens a session from a mail's footer link and sends
 * the browser on to `/preferences` (the token leaves the address bar and Referer);
 * `/preferences…` are the pages. Every form is a POST behind the Origin check (app.ts) and a
 * per-session token; every GET only shows — single-use links are used by the button on the
 * page they open, so a mail scanner that fetches them uses nothing up. Who may do what is
 * decided in src/auth/preference-auth.ts.
 */
export function createPreferencesRoutes(deps: AppDeps) {
  const { core, config } = deps;
  const prefs = config.preferences;
  const auth = createPreferenceAuth(deps);

  /** A POST from a session form: signed in, and the form's token matches the session. */
  async function formOf(c: Context, options: { verified?: boolean } = {}): Promise<SignedIn & { body: Record<string, string | string[]> }> {
    const signed = await auth.signedIn(c);
    if (!signed) throw new OptboxError('unauthorized', '');
    const body = await readForm(c);
    auth.checkForm(signed.session, body._csrf, options);
    return { ...signed, body };
  }

  /** Mail a single-use sign-in link to the contact's own address. */
  const mailSignIn = (contact: ActiveContact, log: Logger) => deps.mail.sendSignIn(contact, signInLink(core, contact.id, prefs.loginLinkMinutes), log);
  const log = (c: Context) => requestLogger(c, deps.logger);

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
      // A footer link is a weak credential (mail gets forwarded): it opens a session, changes no consent.
      .get('/p/:token', async (c) => {
        const contact = await contactOfPreferencesLink(core, c.req.param('token'));
        const { cookie } = await auth.sessions.start(contact.id, null);
        c.header('Set-Cookie', cookie);
        c.header('Referrer-Policy', 'no-referrer');
        return seeOther(c, '/preferences');
      })

      .get('/preferences', async (c) => {
        const signed = await auth.signedIn(c);
        if (!signed) return seeOther(c, '/preferences/login');
        const view = await preferencesOf(core, signed.contact.id);
        const ctx = pageContext(deps, c, view.contact.locale);
        const done = c.req.query('done');
        noStore(c);
        return c.html(
          <PreferencesPage
            ctx={ctx}
            email={maskEmail(view.contact.email)}
            csrf={auth.csrfToken(signed.session)}
            topics={topicSwitches(ctx, view.topics)}
            unsubscribedAll={view.unsubscribedAll}
            blocked={view.blocked}
            pausedUntil={view.pausedUntil === null ? null : formatDate(ctx, view.pausedUntil)}
            noProfiling={view.contact.noProfiling}
            verified={auth.verified(signed.session)}
            notice={done !== undefined && Object.hasOwn(NOTICES, done) ? (done as Notice) : undefined}
            undo={view.unsubscribedAll ? c.req.query('undo') : undefined}
          />,
        );
      })

      .post('/preferences', async (c) => {
        const { contact, body, session } = await formOf(c);
        const shown = list(body.shown);
        const on = new Set(list(body.topic));
        for (const id of on) if (!shown.includes(id)) throw new OptboxError('invalid_input', 'a topic was switched that the page did not show');
        const locale = body.locale === undefined ? undefined : body.locale === 'nl' || body.locale === 'en' ? body.locale : notAChoice('locale');
        const { needConfirmation } = await savePreferences(core, {
          contactId: contact.id,
          topics: Object.fromEntries(shown.map((id) => [id, on.has(id)])),
          locale,
          noProfiling: body.noProfiling === '1',
          request: requestEvidence(c),
          linkMinutes: prefs.loginLinkMinutes,
          proven: auth.verified(session),
        });
        const to = { email: contact.email, locale: locale ?? contact.locale };
        for (const { topic, token } of needConfirmation) await deps.mail.sendTopicConfirmation(to, token, topicName(topic, to.locale), log(c));
        return seeOther(c, `/preferences?done=${needConfirmation.length ? 'confirm' : 'saved'}`);
      })

      .post('/preferences/all', async (c) => {
        const { contact, body, session } = await formOf(c);
        if (body.mail !== 'on' && body.mail !== 'off') notAChoice('mail');
        const undo = typeof body.undo === 'string' ? body.undo : undefined;
        const result = await setAllMail(core, { contactId: contact.id, on: body.mail === 'on', request: requestEvidence(c), proven: auth.verified(session), undo, linkMinutes: prefs.loginLinkMinutes });
        if (result.confirm) await deps.mail.sendTopicConfirmation({ email: contact.email, locale: contact.locale }, result.confirm.token, topicName(result.confirm.topic, contact.locale), log(c));
        return seeOther(c, result.confirm ? '/preferences?done=confirm' : result.undo ? `/preferences?done=saved&undo=${result.undo}` : '/preferences?done=saved');
      })

      .post('/preferences/pause', async (c) => {
        const { contact, body, session } = await formOf(c);
        const days = body.days === '0' ? 0 : body.days === '30' ? 30 : body.days === '90' ? 90 : notAChoice('days');
        await pauseMail(core, { contactId: contact.id, days, request: requestEvidence(c), proven: auth.verified(session) });
        return seeOther(c, '/preferences?done=saved');
      })

      .post('/preferences/sign-out', async (c) => {
        const { session, contact } = await formOf(c);
        c.header('Set-Cookie', await auth.sessions.end(session.id));
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('prefs.signedout')} body={ctx.t('prefs.signedout.body')} role="status" link={{ href: `/preferences/login?lang=${ctx.locale}`, label: ctx.t('prefs.signin.again') }} />);
      })

      // Step-up: a footer link may have been forwarded; reading or erasing data needs the inbox.
      .post('/preferences/verify', async (c) => {
        const { contact } = await formOf(c);
        await auth.takeAddress(contact.email);
        await mailSignIn(contact, log(c));
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('stepup.sent.title')} body={ctx.t('stepup.sent.body', { email: maskEmail(contact.email), minutes: String(prefs.loginLinkMinutes) })} role="status" />);
      })

      .get('/preferences/login', (c) => {
        noStore(c);
        return c.html(<LoginPage ctx={pageContext(deps, c)} minutes={prefs.loginLinkMinutes} />);
      })

      // Magic link: the same answer whether the address is known or not (no enumeration).
      .post('/preferences/login', async (c) => {
        const body = await readForm(c);
        if (typeof body.email !== 'string') notAChoice('email');
        const email = normalizeEmail(body.email as string);
        const ctx = pageContext(deps, c);
        await auth.takeSignIn(clientIp(c), email);
        // Nothing that depends on whether the address is known runs before the answer is written
        // (not even the lookup): the answer takes as long for a known address as for an unknown one.
        afterAnswer(async () => {
          const contact = await contactForSignIn(core, email);
          if (contact) await mailSignIn(contact, log(c));
        }, (err) => log(c).error({ err }, 'sign-in mail not sent'));
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('login.sent.title')} body={ctx.t('login.sent.body', { minutes: String(prefs.loginLinkMinutes) })} role="status" />);
      })

      .get('/preferences/signin/:token', async (c) => {
        const contact = await contactOfOnceLink(core, c.req.param('token'), 'signin');
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('signin.title')} lead={ctx.t('signin.lead')} button={ctx.t('signin.button')} action={`/preferences/signin/${c.req.param('token')}`} />);
      })

      .post('/preferences/signin/:token', async (c) => {
        const contact = await useSignInLink(core, c.req.param('token'));
        // A new session id after sign-in (no fixation); the old one, if any, goes.
        const old = await auth.sessions.validate(c.req.header('cookie'));
        if (old.session) await auth.sessions.end(old.session.id);
        const { cookie } = await auth.sessions.start(contact.id, core.clock.now());
        c.header('Set-Cookie', cookie);
        return seeOther(c, '/preferences');
      })

      .get('/preferences/confirm/:token', async (c) => {
        const { contact, topic } = await pendingTopicOfLink(core, c.req.param('token'));
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('confirm.topic.title')} lead={ctx.t('confirm.topic.lead', { topic: topicName(topic, ctx.locale) })} button={ctx.t('confirm.topic.button')} action={`/preferences/confirm/${c.req.param('token')}`} />);
      })

      .post('/preferences/confirm/:token', async (c) => {
        const { contact, topic } = await confirmTopic(core, { token: c.req.param('token'), request: requestEvidence(c) });
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('confirm.topic.title')} body={ctx.t('confirm.topic.done', { topic: topicName(topic, ctx.locale) })} role="status" />);
      })

      .get('/preferences/history', async (c) => {
        const signed = await auth.signedIn(c);
        if (!signed || !auth.verified(signed.session)) return seeOther(c, signed ? '/preferences' : '/preferences/login');
        const ctx = pageContext(deps, c, signed.contact.locale);
        const [events, topics] = await Promise.all([consentHistory(core, signed.contact.id), allTopics(core)]);
        noStore(c);
        return c.html(<HistoryPage ctx={ctx} lines={historyLines(ctx, events, topics)} />);
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
        if (typeof body.email !== 'string') notAChoice('email');
        await auth.takeAddress(contact.email, 'too many links');
        const { token, email } = await requestEmailChange(core, { contactId: contact.id, email: body.email as string, minutes: prefs.loginLinkMinutes });
        await deps.mail.sendAddressConfirmation({ email, locale: contact.locale }, token, log(c));
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('login.sent.title')} body={ctx.t('prefs.email.sent', { email: maskEmail(email) })} role="status" link={{ href: '/preferences', label: ctx.t('history.back') }} />);
      })

      .get('/preferences/email/confirm/:token', async (c) => {
        const contact = await contactOfOnceLink(core, c.req.param('token'), 'email');
        const ctx = pageContext(deps, c, contact.locale);
        noStore(c);
        return c.html(<LinkButtonPage ctx={ctx} title={ctx.t('confirm.email.title')} lead={ctx.t('confirm.email.lead')} button={ctx.t('confirm.email.button')} action={`/preferences/email/confirm/${c.req.param('token')}`} />);
      })

      .post('/preferences/email/confirm/:token', async (c) => {
        const current = await auth.sessions.validate(c.req.header('cookie'));
        const { email, locale } = await confirmEmailChange(core, { token: c.req.param('token'), request: requestEvidence(c), keepSessionId: current.session?.id });
        const ctx = pageContext(deps, c, locale);
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('confirm.email.title')} body={ctx.t('prefs.email.done', { email: maskEmail(email) })} role="status" link={{ href: '/preferences', label: ctx.t('history.back') }} />);
      })

      // Erasure (GDPR art. 17): a confirmation step, then only the hashed suppression remains.
      .get('/preferences/erase', async (c) => {
        const signed = await auth.signedIn(c);
        if (!signed || !auth.verified(signed.session)) return seeOther(c, signed ? '/preferences' : '/preferences/login');
        const ctx = pageContext(deps, c, signed.contact.locale);
        noStore(c);
        return c.html(<EraseConfirmPage ctx={ctx} email={maskEmail(signed.contact.email)} csrf={auth.csrfToken(signed.session)} />);
      })

      .post('/preferences/erase', async (c) => {
        const { contact, session, body } = await formOf(c, { verified: true });
        if (body.confirm !== 'yes') notAChoice('confirm');
        const ctx = pageContext(deps, c, contact.locale);
        await eraseContact(core, { contactId: contact.id, source: 'preference-center', request: requestEvidence(c) });
        // The erasure removed the contact's sessions in its unit; clear this browser's cookie too.
        c.header('Set-Cookie', await auth.sessions.end(session.id));
        noStore(c);
        return c.html(<MessagePage ctx={ctx} title={ctx.t('erase.done.title')} body={ctx.t('erase.done.body')} role="status" />);
      })
  );
}
