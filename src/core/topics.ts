import type { TopicRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput } from './errors.ts';

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
