import type { TopicChange, TopicRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput, notFound, OptboxError } from './errors.ts';
import { recordAudit } from './operators.ts';

/** A retired topic: it takes no new subscriptions and no mail (see src/db/schema/topics.ts). */
export const isRetired = (topic: Pick<TopicRow, 'retiredAt'>) => topic.retiredAt !== null;

/** Every topic, in the operator's order. */
export function allTopics(deps: CoreDeps): Promise<TopicRow[]> {
  return deps.store.topics.all();
}

/** A topic by id, or undefined. */
export function topicById(deps: CoreDeps, id: string): Promise<TopicRow | undefined> {
  return deps.store.topics.byId(id);
}

/** A topic the caller named, or invalid_input naming the field: the one "unknown topic" answer. */
export async function knownTopic(deps: CoreDeps, id: string, field: string): Promise<TopicRow> {
  const topic = await deps.store.topics.byId(id);
  if (!topic) throw invalidInput(field, `unknown topic "${id}"`);
  return topic;
}

/**
 * A topic someone is being subscribed to: known, and not retired. Every path that starts a
 * subscription (contacts API, preference center, confirmation links, an operator) asks this;
 * paths that only reduce mail (unsubscribe, suppress) keep using knownTopic.
 */
export async function subscribableTopic(deps: CoreDeps, id: string, field: string): Promise<TopicRow> {
  const topic = await knownTopic(deps, id, field);
  if (isRetired(topic)) throw invalidInput(field, `topic "${id}" is retired and takes no new subscriptions`);
  return topic;
}

/** A scope as given ('*', or a topic id that must exist); absent means '*'. */
export async function knownScope(deps: CoreDeps, scope: string | undefined, field: string): Promise<string> {
  if (scope === undefined || scope === '*') return '*';
  return (await knownTopic(deps, scope, field)).id;
}

export interface NewTopic {
  id: string;
  nameNl: string;
  nameEn: string;
  descriptionNl?: string | undefined;
  descriptionEn?: string | undefined;
  defaultStatus: 'opt-in' | 'opt-out';
  doubleOptIn?: boolean | undefined;
}

/** Add a topic. Its id goes into links and the API, so it is a short slug; names are free text. */
export async function createTopic(deps: CoreDeps, input: NewTopic & { operatorId?: string | undefined }): Promise<TopicRow> {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(input.id) || input.id === '*') throw invalidInput('id', 'must be 1 to 40 lower-case letters, digits or dashes');
  checkTexts(input);
  if (input.defaultStatus !== 'opt-in' && input.defaultStatus !== 'opt-out') throw invalidInput('defaultStatus', 'must be opt-in or opt-out');
  const topic = {
    id: input.id,
    nameNl: input.nameNl.trim(),
    nameEn: input.nameEn.trim(),
    descriptionNl: (input.descriptionNl ?? '').trim(),
    descriptionEn: (input.descriptionEn ?? '').trim(),
    defaultStatus: input.defaultStatus,
    doubleOptIn: input.doubleOptIn ?? false,
    createdAt: deps.clock.now(),
  };
  if (!(await deps.store.topics.create({ ...topic, retiredAt: null }))) throw new OptboxError('conflict', `id: a topic "${input.id}" exists`, [{ field: 'id', message: 'exists' }]);
  if (input.operatorId) await recordAudit(deps, { operatorId: input.operatorId, action: 'topic.create', target: input.id, detail: { defaultStatus: topic.defaultStatus, doubleOptIn: topic.doubleOptIn } });
  return (await deps.store.topics.byId(input.id))!;
}

const MAX_NAME = 80;
const MAX_DESCRIPTION = 500;

function checkTexts(input: { nameNl?: string | undefined; nameEn?: string | undefined; descriptionNl?: string | undefined; descriptionEn?: string | undefined }) {
  for (const field of ['nameNl', 'nameEn'] as const) {
    const value = input[field];
    if (value !== undefined && (!value.trim() || value.trim().length > MAX_NAME)) throw invalidInput(field, `must be 1 to ${MAX_NAME} characters`);
  }
  for (const field of ['descriptionNl', 'descriptionEn'] as const) {
    const value = input[field];
    if (value !== undefined && value.trim().length > MAX_DESCRIPTION) throw invalidInput(field, `must be at most ${MAX_DESCRIPTION} characters`);
  }
}

export interface TopicEdit {
  id: string;
  nameNl: string;
  nameEn: string;
  descriptionNl: string;
  descriptionEn: string;
  doubleOptIn: boolean;
  defaultStatus: 'opt-in' | 'opt-out';
  operatorId: string;
}

/**
 * Change a topic's names, descriptions, double opt-in and default status. The default status is
 * chosen when the topic is added and may afterwards only be tightened, opt-out to opt-in:
 * turning an opt-in topic into opt-out would start mailing everyone who never subscribed, and
 * consent must be given, not presumed (GDPR art. 4(11), 6(1)(a) and 7; for marketing mail the
 * ePrivacy Directive art. 13 needs prior consent). Tightening only narrows who is mailed: people
 * without a subscription row stop receiving it, which they never asked for.
 */
export async function updateTopic(deps: CoreDeps, input: TopicEdit): Promise<{ topic: TopicRow; changed: boolean }> {
  const topic = await deps.store.topics.byId(input.id);
  if (!topic) throw notFound('topic');
  checkTexts(input);
  if (input.defaultStatus !== 'opt-in' && input.defaultStatus !== 'opt-out') throw invalidInput('defaultStatus', 'must be opt-in or opt-out');
  if (topic.defaultStatus === 'opt-in' && input.defaultStatus === 'opt-out') {
    throw invalidInput('defaultStatus', 'an opt-in topic cannot become opt-out: it would mail people who never consented (GDPR art. 6(1)(a) and 7). Add a new opt-in topic instead, or ask people to subscribe.');
  }
  const change: TopicChange = {
    nameNl: input.nameNl.trim(),
    nameEn: input.nameEn.trim(),
    descriptionNl: input.descriptionNl.trim(),
    descriptionEn: input.descriptionEn.trim(),
    doubleOptIn: input.doubleOptIn,
    defaultStatus: input.defaultStatus === 'opt-in' && topic.defaultStatus === 'opt-out' ? 'opt-in' : undefined,
  };
  const changed = Object.entries(change).filter(([k, v]) => v !== undefined && topic[k as keyof TopicRow] !== v).map(([k]) => k);
  if (changed.length === 0) return { topic, changed: false };
  if (!(await deps.store.topics.update(topic.id, change))) throw notFound('topic');
  await recordAudit(deps, { operatorId: input.operatorId, action: 'topic.update', target: topic.id, detail: { changed } });
  return { topic: (await deps.store.topics.byId(topic.id))!, changed: true };
}

/**
 * Retire a topic (or reinstate it). Retired, it leaves the preference center, refuses new
 * subscriptions and every mail for it ("not sent", reason `topic-retired`); what it keeps: the
 * unsubscribe links already mailed (RFC 8058 one-click still works), its ledger history and its
 * suppressions. Reinstating brings back exactly what was: subscriptions were never touched.
 */
export async function setTopicRetired(deps: CoreDeps, input: { id: string; retired: boolean; operatorId: string }): Promise<{ topic: TopicRow; changed: boolean }> {
  const topic = await deps.store.topics.byId(input.id);
  if (!topic) throw notFound('topic');
  if (isRetired(topic) === input.retired) return { topic, changed: false };
  if (!(await deps.store.topics.update(topic.id, { retiredAt: input.retired ? deps.clock.now() : null }))) throw notFound('topic');
  await recordAudit(deps, { operatorId: input.operatorId, action: input.retired ? 'topic.retire' : 'topic.reinstate', target: topic.id });
  return { topic: (await deps.store.topics.byId(topic.id))!, changed: true };
}
