import { Layout, maskEmail, type PageContext } from './layout.tsx';

export interface TopicLine {
  name: string;
  description: string;
  subscribed: boolean;
  /** The /u/TOKEN link of this topic: its forms post there. */
  action: string;
}

/**
 * GET /p/:token: the contact's topics, each with a button that posts to that topic's own
 * unsubscribe link. Changes nothing by itself; the full preference center replaces it.
 */
export function PreferencesOverview(props: { ctx: PageContext; email: string; topics: TopicLine[] }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('preferences.title')}>
      <h1>{t('preferences.title')}</h1>
      <p>{t('preferences.lead', { email: maskEmail(props.email) })}</p>
      <ul class="topics">
        {props.topics.map((topic) => (
          <li>
            <div>
              <strong>{topic.name}</strong>
              <span class="muted">{topic.description}</span>
              <span class={topic.subscribed ? 'badge on' : 'badge off'}>
                {topic.subscribed ? t('preferences.subscribed') : t('preferences.unsubscribed')}
              </span>
            </div>
            <form method="post" action={topic.action}>
              <button
                type="submit"
                name="action"
                value={topic.subscribed ? 'topic' : 'undo'}
                class="secondary"
                aria-label={`${topic.subscribed ? t('preferences.unsubscribe') : t('preferences.subscribe')}: ${topic.name}`}
              >
                {topic.subscribed ? t('preferences.unsubscribe') : t('preferences.subscribe')}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
