import type { TopicRow } from '../db/schema/index.ts';
import type { Locale } from './messages.ts';

/** A topic's name in one language: the one place that picks between the nl and en columns. */
export function topicName(topic: Pick<TopicRow, 'nameNl' | 'nameEn'>, locale: Locale): string {
  return locale === 'nl' ? topic.nameNl : topic.nameEn;
}

/** A topic's description in one language. */
export function topicDescription(topic: Pick<TopicRow, 'descriptionNl' | 'descriptionEn'>, locale: Locale): string {
  return locale === 'nl' ? topic.descriptionNl : topic.descriptionEn;
}
