import type { TopicRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput, OptboxError } from './errors.ts';

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
export async function createTopic(deps: CoreDeps, input: NewTopic): Promise<TopicRow> {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(input.id) || input.id === '*') throw invalidInput('id', 'must be 1 to 40 lower-case letters, digits or dashes');
  for (const [field, value] of [['nameNl', input.nameNl], ['nameEn', input.nameEn]] as const) {
    if (!value.trim() || value.length > 80) throw invalidInput(field, 'must be 1 to 80 characters');
  }
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
  if (!(await deps.store.topics.create(topic))) throw new OptboxError('conflict', `id: a topic "${input.id}" exists`, [{ field: 'id', message: 'exists' }]);
  return (await deps.store.topics.byId(input.id))!;
}
