import { Hono } from 'hono';
import { contactById, topicStatuses } from '../../core/contacts.ts';
import { OptboxError } from '../../core/errors.ts';
import { PreferencesOverview } from '../../../views/preferences-overview.tsx';
import type { AppDeps, AppEnv } from '../context.ts';
import { pageContext } from '../page.ts';

/** GET /p/:token: the contact's topics with a button each; the buttons post to /u/ links. */
export function createPreferencesOverviewRoutes(deps: AppDeps) {
  const { core } = deps;
  return new Hono<AppEnv>().get('/p/:token', async (c) => {
    const link = core.tokens.verify(c.req.param('token'), 'prefs');
    const contact = await contactById(core, link.contactId);
    if (contact.status === 'erased' || !contact.email) throw new OptboxError('not_found', 'contact erased');
    const ctx = pageContext(deps, c, contact.locale);
    const statuses = await topicStatuses(core, contact.id);
    const topics = statuses.map(({ topic, status }) => ({
      name: ctx.locale === 'nl' ? topic.nameNl : topic.nameEn,
      description: ctx.locale === 'nl' ? topic.descriptionNl : topic.descriptionEn,
      subscribed: status === 'subscribed',
      action: `/u/${core.tokens.sign('unsub', { contactId: contact.id, topic: topic.id })}`,
    }));
    c.header('Cache-Control', 'no-store');
    return c.html(<PreferencesOverview ctx={ctx} email={contact.email} topics={topics} />);
  });
}
