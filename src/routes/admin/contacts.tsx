import { Hono } from 'hono';
import { contactDossier, searchContacts } from '../../core/console-contacts.ts';
import { updateContact } from '../../core/contacts.ts';
import { eraseContact } from '../../core/erasure.ts';
import { invalidInput, OptboxError } from '../../core/errors.ts';
import { recordAudit } from '../../core/operators.ts';
import { exportContactData } from '../../core/preferences.ts';
import { suppress, unsuppress } from '../../core/suppressions.ts';
import { ContactPage, ContactSearchPage } from '../../../views/admin/contacts.tsx';
import { requestEvidence } from '../client-ip.ts';
import type { AppDeps } from '../context.ts';
import { list, notAChoice } from '../form.ts';
import { field, param, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const NOTICES: Record<string, string> = {
  topics: 'Topics saved.',
  flags: 'Pause and profiling saved.',
  suppressed: 'Suppression added.',
  unsuppressed: 'Suppression removed.',
  nothing: 'Nothing changed.',
  erased: 'The contact was erased. Only a hashed suppression remains.',
};

/** Contacts: search, a contact's page with its ledger, and the operator's actions on it. */
export function createContactRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const page = (id: string, done: string) => `/admin/contacts/${encodeURIComponent(id)}?done=${done}`;
  /** Who and how, for every change an operator makes: source `admin`, the operator as actor. */
  const by = (c: ConsoleContext) => ({ source: 'admin' as const, actor: k.actor(c), request: requestEvidence(c) });

  k.add(r, 'GET', '/admin/contacts', 'read', async (c) => {
    const q = c.req.query('q') ?? '';
    try {
      const results = q.trim() ? await searchContacts(core, q) : null;
      if (results?.length === 1) return k.seeOther(c, `/admin/contacts/${encodeURIComponent(results[0]!.id)}`);
      return c.html(<ContactSearchPage viewer={k.viewer(c)} q={q} results={results} />);
    } catch (err) {
      if (err instanceof OptboxError && err.code === 'invalid_input') return c.html(<ContactSearchPage viewer={k.viewer(c)} q={q} results={null} error={err.message} />, 400);
      throw err;
    }
  });

  k.add(r, 'GET', '/admin/contacts/:id', 'read', async (c) => {
    const dossier = await contactDossier(core, param(c, 'id'));
    const done = c.req.query('done');
    return c.html(<ContactPage viewer={k.viewer(c)} {...dossier} notice={done ? NOTICES[done] : undefined} />);
  });

  k.add(r, 'POST', '/admin/contacts/:id/topics', 'contacts', async (c) => {
    const body = c.get('form');
    const shown = list(body.shown);
    const on = new Set(list(body.topic));
    for (const id of on) if (!shown.includes(id)) throw invalidInput('topic', 'a topic was switched that the page did not show');
    const { topics } = await contactDossier(core, param(c, 'id'));
    // Only what changed: re-saving a page must not write ledger rows for topics left alone.
    const changes: Record<string, boolean> = {};
    for (const { topic, status } of topics) {
      if (!shown.includes(topic.id)) continue;
      const now = status === 'subscribed' || status === 'pending';
      if (now !== on.has(topic.id)) changes[topic.id] = on.has(topic.id);
    }
    if (Object.keys(changes).length === 0) return k.seeOther(c, page(param(c, 'id'), 'nothing'));
    await updateContact(core, { id: param(c, 'id'), topics: changes, ...by(c) });
    return k.seeOther(c, page(param(c, 'id'), 'topics'));
  });

  k.add(r, 'POST', '/admin/contacts/:id/flags', 'contacts', async (c) => {
    const body = c.get('form');
    const pause = field(body, 'pause');
    const days = pause === 'keep' ? undefined : ({ '0': 0, '30': 30, '90': 90, '365': 365 } as Record<string, number>)[pause];
    if (pause !== 'keep' && days === undefined) notAChoice('pause');
    await updateContact(core, {
      id: param(c, 'id'),
      noProfiling: body.noProfiling === '1',
      ...(days === undefined ? {} : { pausedUntil: days === 0 ? null : core.clock.now() + days * 86_400_000 }),
      ...by(c),
    });
    return k.seeOther(c, page(param(c, 'id'), 'flags'));
  });

  k.add(r, 'POST', '/admin/contacts/:id/suppress', 'contacts', async (c) => {
    const body = c.get('form');
    const reason = field(body, 'reason');
    if (reason !== 'manual' && reason !== 'bounce' && reason !== 'complaint') notAChoice('reason');
    const note = field(body, 'note', { max: 300 });
    const { contact } = await contactDossier(core, param(c, 'id'));
    if (!contact.email) throw new OptboxError('conflict', 'the contact is erased');
    const scope = field(body, 'scope', { max: 100 });
    const { created } = await suppress(core, { email: contact.email, scope, reason, ...by(c) });
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'suppression.add', target: contact.id, detail: { scope, reason, note } });
    return k.seeOther(c, page(contact.id, created ? 'suppressed' : 'nothing'));
  });

  k.add(r, 'POST', '/admin/contacts/:id/unsuppress', 'contacts', async (c) => {
    const body = c.get('form');
    const note = field(body, 'note', { max: 300 });
    const { contact } = await contactDossier(core, param(c, 'id'));
    if (!contact.email) throw new OptboxError('conflict', 'the contact is erased');
    const scope = field(body, 'scope', { max: 100 });
    const override = body.override === '1';
    const { removed } = await unsuppress(core, { email: contact.email, scope, override, ...by(c) });
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'suppression.remove', target: contact.id, detail: { scope, override, note } });
    return k.seeOther(c, page(contact.id, removed ? 'unsuppressed' : 'nothing'));
  });

  // GDPR art. 15 and 20: the same file the person downloads themselves, recorded as an export by this operator.
  k.add(r, 'POST', '/admin/contacts/:id/export', 'contacts', async (c) => {
    const data = await exportContactData(core, { contactId: param(c, 'id'), ...by(c) });
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'contact.export', target: data.contact.id });
    return c.body(JSON.stringify(data, null, 2) + '\n', 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="contact-${data.contact.id}.json"`,
    });
  });

  k.add(r, 'POST', '/admin/contacts/:id/erase', 'contacts', async (c) => {
    if (c.get('form').confirm !== 'yes') throw invalidInput('confirm', 'tick the box to erase');
    await eraseContact(core, { contactId: param(c, 'id'), ...by(c) });
    return k.seeOther(c, page(param(c, 'id'), 'erased'));
  });

  return r;
}
