import type { ConsentEventRow, TopicRow } from '../src/db/schema/index.ts';
import { isMessageKey } from '../src/i18n/messages.ts';
import { topicDescription, topicName } from '../src/i18n/topics.ts';
import type { PageContext } from './layout.tsx';
import type { HistoryLine, TopicSwitch } from './preferences.tsx';

/**
 * View models of the preference-center pages: from what core returns to the plain values the
 * components in preferences.tsx show, in the page's language.
 */

/** The topic switches of /preferences. */
export function topicSwitches(ctx: PageContext, topics: Array<{ topic: TopicRow; status: TopicSwitch['status'] }>): TopicSwitch[] {
  return topics.map(({ topic, status }) => ({ id: topic.id, name: topicName(topic, ctx.locale), description: topicDescription(topic, ctx.locale), status }));
}

/** A date shown to the person, in their language (UTC: the server does not know their zone). */
export function formatDate(ctx: PageContext, ms: number): string {
  return new Intl.DateTimeFormat(ctx.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(ms);
}

/** The person's consent history, newest first, each ledger row in plain words. */
export function historyLines(ctx: PageContext, events: ConsentEventRow[], topics: TopicRow[]): HistoryLine[] {
  const nameOf = (id: string | null) => {
    if (!id || id === '*') return ctx.t('history.all');
    const topic = topics.find((t) => t.id === id);
    return topic ? topicName(topic, ctx.locale) : id;
  };
  return events.map((e) => historyLine(ctx, e, nameOf)).reverse();
}

/** One ledger row: what changed, for which topic, and how. Unknown actions and sources are shown by name. */
function historyLine(ctx: PageContext, e: ConsentEventRow, nameOf: (id: string | null) => string): HistoryLine {
  const at = new Intl.DateTimeFormat(ctx.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(e.at) + ' UTC';
  const action = `history.action.${e.action}`;
  const source = `source.${e.source}`;
  const text = isMessageKey(action) ? ctx.t(action, { topic: nameOf(e.topic) }) : ctx.t('history.action.other', { action: e.action });
  const via = ctx.t('history.via', { source: isMessageKey(source) ? ctx.t(source) : e.source });
  return { at, text, via };
}
