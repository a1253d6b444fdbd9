import { Hono, type Context } from 'hono';
import { contactById, isActive } from '../../core/contact.ts';
import { OptboxError } from '../../core/errors.ts';
import { undoGrant, useUndoGrant } from '../../core/consent-proof.ts';
import { resubscribe, unsubscribe } from '../../core/subscriptions.ts';
import { checkSuppressions } from '../../core/suppressions.ts';
import { isRetired, topicById } from '../../core/topics.ts';
import { topicName } from '../../i18n/topics.ts';
import type { UnsubClaims } from '../../core/tokens.ts';
import { ConfirmPage, DonePage, ErasedPage, ResubscribedPage } from '../../../views/unsubscribe.tsx';
import type { AppDeps, AppEnv } from '../context.ts';
import { pageContext } from '../page.ts';
import { requestEvidence } from '../client-ip.ts';

type PageAction = 'topic' | 'all' | 'undo' | 'undo-all';
const PAGE_ACTIONS: readonly string[] = ['topic', 'all', 'undo', 'undo-all'];

/**
 * The unsubscribe link. GET shows and changes nothing (mail scanners open every link); POST acts.
 *
 * RFC 8058 §3.1: the mail client POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe
 * URI, as multipart/form-data or application/x-www-form-urlencoded, without cookies and
 * without following redirects; the token in the URI is the whole credential. So: no CSRF
 * check here (there is no session to ride), no redirect, a 200 once the change is durable.
 */
export function createUnsubscribeRoutes(deps: AppDeps) {
  const { core } = deps;

  async function linkState(c: Context, token: string) {
    const link = core.tokens.verify(token, 'unsub');
    const contact = await contactById(core, link.contactId);
    const topic = link.topic === '*' ? undefined : await topicById(core, link.topic);
    const ctx = pageContext(deps, c, contact.locale);
    const name = topic ? topicName(topic, ctx.locale) : link.topic;
    return {
      link,
      contact,
      ctx,
      /** The undo grant for a scope just unsubscribed; none for a retired topic (it takes no subscriptions back). */
      undoFor: (scope: string) => (scope !== '*' && topic && isRetired(topic) ? undefined : undoGrant(core, contact.id, scope)),
      props: {
        ctx,
        action: `/u/${token}`,
        topicName: name,
        all: link.topic === '*',
        email: contact.email ?? '',
        preferencesUrl: `/p/${core.tokens.sign('prefs', { contactId: contact.id })}`,
      },
    };
  }

  return new Hono<AppEnv>()
    .get('/u/:token', async (c) => {
      const { link, contact, props } = await linkState(c, c.req.param('token'));
      if (!isActive(contact)) throw new OptboxError('not_found', 'contact erased');
      const [check] = await checkSuppressions(core, { emails: [contact.email], topic: link.topic });
      c.header('Cache-Control', 'no-store');
      return c.html(<ConfirmPage {...props} alreadyUnsubscribed={!!check?.suppressed} />);
    })
    .post('/u/:token', async (c) => {
      const token = c.req.param('token');
      const { link, contact, props, undoFor } = await linkState(c, token);
      const { action, undo } = await requestedAction(c);
      const input = { contactId: contact.id, campaign: link.campaign, request: requestEvidence(c) };
      c.header('Cache-Control', 'no-store');
      // An erased person's old mail still carries the link: the erasure already suppresses
      // everything, so a one-click succeeds and nothing else is offered.
      if (!isActive(contact)) return c.html(<ErasedPage ctx={props.ctx} />);
      switch (action) {
        case 'one-click':
          await unsubscribe(core, { ...input, topic: link.topic, source: 'one-click' });
          return c.html(<DonePage {...props} scope={link.topic === '*' ? 'all' : 'topic'} undo={undoFor(link.topic)} />);
        case 'topic':
        case 'all': {
          const topic = action === 'all' ? '*' : link.topic;
          await unsubscribe(core, { ...input, topic, source: 'unsubscribe-page' });
          return c.html(<DonePage {...props} scope={topic === '*' ? 'all' : 'topic'} undo={undoFor(topic)} />);
        }
        case 'undo':
        case 'undo-all': {
          const topic = action === 'undo-all' ? '*' : link.topic;
          // Only right after the unsubscribe, from its page: a link alone gives no consent back.
          await useUndoGrant(core, { token: undo, contactId: contact.id, scope: topic });
          await resubscribe(core, { ...input, topic, source: 'unsubscribe-page' });
          const still = await stillBlocked(link, contact.email);
          return c.html(<ResubscribedPage {...props} scope={topic === '*' ? 'all' : 'topic'} stillBlocked={still} />);
        }
      }
    });

  async function stillBlocked(link: UnsubClaims, email: string): Promise<boolean> {
    const [check] = await checkSuppressions(core, { emails: [email], topic: link.topic === '*' ? undefined : link.topic });
    return !!check?.suppressed;
  }
}

/** RFC 8058 one-click, or one of the confirm page's own buttons. Anything else changes nothing. */
async function requestedAction(c: Context): Promise<{ action: 'one-click' | PageAction; undo?: string | undefined }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
    // RFC 8058 names the two form types, but a client that sends the exact one-click body with
    // another or no Content-Type still asked to unsubscribe: honour it rather than lose it.
    if ((await c.req.text()).trim() === 'List-Unsubscribe=One-Click') return { action: 'one-click' };
    throw new OptboxError('unsupported_media_type', 'expected a form body (RFC 8058: List-Unsubscribe=One-Click)');
  }
  let body: Record<string, unknown>;
  try {
    // urlencoded (what most mail clients send) parses straight from the text; multipart needs
    // the full form-data parser.
    body = /^application\/x-www-form-urlencoded/i.test(type) ? Object.fromEntries(new URLSearchParams(await c.req.text())) : await c.req.parseBody();
  } catch {
    throw new OptboxError('invalid_input', 'the form body could not be read');
  }
  const oneClick = body['List-Unsubscribe'];
  if (typeof oneClick === 'string' && oneClick.trim().toLowerCase() === 'one-click') return { action: 'one-click' };
  const action = body['action'];
  const undo = typeof body['undo'] === 'string' ? body['undo'] : undefined;
  if (typeof action === 'string' && PAGE_ACTIONS.includes(action)) return { action: action as PageAction, undo };
  throw new OptboxError('invalid_input', 'expected List-Unsubscribe=One-Click', [{ field: 'List-Unsubscribe', message: 'expected One-Click' }]);
}
