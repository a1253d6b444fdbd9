import { Layout, maskEmail, type PageContext } from './layout.tsx';

interface LinkPageProps {
  ctx: PageContext;
  /** The path the forms post to: the link itself (/u/TOKEN). */
  action: string;
  topicName: string;
  /** True when the link is for every topic ('*'). */
  all: boolean;
  email: string;
  preferencesUrl: string;
}

/**
 * GET /u/:token. Shows what would happen and changes nothing: scanners open every link
 * (mail scanners open every link). The buttons post to the same URL the List-Unsubscribe header names.
 */
export function ConfirmPage(props: LinkPageProps & { alreadyUnsubscribed: boolean }) {
  const { t } = props.ctx;
  const email = maskEmail(props.email);
  const topic = props.topicName;
  const title = props.all ? t('confirm.all.title') : t('confirm.title', { topic });
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      {props.alreadyUnsubscribed ? (
        <p class="status">{props.all ? t('confirm.all.already', { email }) : t('confirm.already', { topic, email })}</p>
      ) : (
        <p>{props.all ? t('confirm.all.lead', { email }) : t('confirm.lead', { topic, email })}</p>
      )}
      <form method="post" action={props.action} class="actions">
        {!props.all && !props.alreadyUnsubscribed && (
          <button type="submit" name="action" value="topic" class="primary">
            {t('confirm.button.topic', { topic })}
          </button>
        )}
        <button type="submit" name="action" value="all" class={props.all ? 'primary' : 'secondary'}>
          {t('confirm.button.all')}
        </button>
      </form>
      <p class="muted">{t('confirm.transactional')}</p>
      <p>
        <a href={props.preferencesUrl}>{t('confirm.preferences')}</a>
      </p>
    </Layout>
  );
}

/** After an unsubscribe: what changed, and an undo that posts back to the same link. */
export function DonePage(props: LinkPageProps & { scope: 'topic' | 'all'; /** Grant for the immediate undo (core/consent-proof.ts); none for a retired topic, which takes no subscriptions. */ undo: string | undefined }) {
  const { t } = props.ctx;
  const email = maskEmail(props.email);
  return (
    <Layout ctx={props.ctx} title={t('done.title')}>
      <h1>{t('done.title')}</h1>
      <p class="status" role="status">
        {props.scope === 'all' ? t('done.all', { email }) : t('done.topic', { topic: props.topicName, email })}
      </p>
      {props.undo ? (
        <form method="post" action={props.action} class="actions">
          <p class="muted">{t('done.mistake')}</p>
          <input type="hidden" name="undo" value={props.undo} />
          <button type="submit" name="action" value={props.scope === 'all' ? 'undo-all' : 'undo'} class="secondary">
            {t('done.undo')}
          </button>
        </form>
      ) : null}
      <p>
        <a href={props.preferencesUrl}>{t('confirm.preferences')}</a>
      </p>
    </Layout>
  );
}

export function ResubscribedPage(props: LinkPageProps & { scope: 'topic' | 'all'; stillBlocked: boolean }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('resubscribed.title')}>
      <h1>{t('resubscribed.title')}</h1>
      <p class="status" role="status">
        {props.scope === 'all' ? t('resubscribed.all') : t('resubscribed.topic', { topic: props.topicName })}
      </p>
      {props.stillBlocked && <p class="warning">{t('resubscribed.blocked')}</p>}
      <p>
        <a href={props.preferencesUrl}>{t('confirm.preferences')}</a>
      </p>
    </Layout>
  );
}

/** A link of a contact whose data was erased: nothing left to change, nothing will be sent. */
export function ErasedPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('done.title')}>
      <h1>{t('done.title')}</h1>
      <p class="status" role="status">
        {t('done.erased')}
      </p>
    </Layout>
  );
}
