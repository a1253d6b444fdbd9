import type { TopicRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

const num = new Intl.NumberFormat('en-GB');

export interface TopicListRow {
  topic: TopicRow;
  subscribed: number;
  unsubscribed: number;
  pending: number;
}

/** What a topic form holds, as typed (kept when the form comes back with a problem). */
export interface TopicFormValues {
  id: string;
  nameNl: string;
  nameEn: string;
  descriptionNl: string;
  descriptionEn: string;
  defaultStatus: string;
  doubleOptIn: boolean;
}

export const emptyTopicForm: TopicFormValues = { id: '', nameNl: '', nameEn: '', descriptionNl: '', descriptionEn: '', defaultStatus: 'opt-in', doubleOptIn: false };

const FIELD_LABELS: Record<string, string> = {
  id: 'Id',
  nameNl: 'Name (Dutch)',
  nameEn: 'Name (English)',
  descriptionNl: 'Description (Dutch)',
  descriptionEn: 'Description (English)',
  defaultStatus: 'Default',
  doubleOptIn: 'Double opt-in',
};

/** A form problem in the words of the form: "Name (Dutch): must be 1 to 80 characters". */
export function topicProblem(field: string, message: string): string {
  return `${FIELD_LABELS[field] ?? field}: ${message}`;
}

/** Why the default status can only be tightened: the same words on the list and the edit page. */
function DefaultStatusExplained() {
  return (
    <p class="muted">
      <strong>Opt-in</strong>: mailed only to people who subscribed. <strong>Opt-out</strong>: mailed to every contact unless they unsubscribed. This is chosen when the topic is added; afterwards an opt-out topic can be made opt-in, never the other way: that would start mailing people who never consented (GDPR art. 6(1)(a) and 7; for marketing, ePrivacy art. 13).
    </p>
  );
}

function TextFields(props: { values: TopicFormValues; error?: string | undefined; field?: string | undefined }) {
  const { values } = props;
  const invalid = (name: string) => (props.field === name ? 'true' : undefined);
  return (
    <>
      <div class="field"><label for="t-nameNl">Name (Dutch)</label><input id="t-nameNl" name="nameNl" required maxlength={80} value={values.nameNl} aria-invalid={invalid('nameNl')} /></div>
      <div class="field"><label for="t-nameEn">Name (English)</label><input id="t-nameEn" name="nameEn" required maxlength={80} value={values.nameEn} aria-invalid={invalid('nameEn')} /></div>
      <div class="field"><label for="t-descriptionNl">Description (Dutch)</label><textarea id="t-descriptionNl" name="descriptionNl" maxlength={500} rows={2} aria-invalid={invalid('descriptionNl')}>{values.descriptionNl}</textarea></div>
      <div class="field"><label for="t-descriptionEn">Description (English)</label><textarea id="t-descriptionEn" name="descriptionEn" maxlength={500} rows={2} aria-invalid={invalid('descriptionEn')}>{values.descriptionEn}</textarea></div>
      <label class="check">
        <input type="checkbox" name="doubleOptIn" value="1" checked={values.doubleOptIn} />
        <span>Double opt-in: subscribing needs a confirmation link mailed to the address</span>
      </label>
    </>
  );
}

/** /admin/settings/topics: every topic with its counts, and the form that adds one. */
export function TopicsPage(props: { viewer: ConsoleViewer; rows: TopicListRow[]; notice?: string | undefined; values?: TopicFormValues | undefined; error?: string | undefined; field?: string | undefined }) {
  const { viewer } = props;
  const values = props.values ?? emptyTopicForm;
  return (
    <ConsoleLayout title="Topics" viewer={viewer} current="settings">
      <p><a href="/admin/settings">← Settings</a></p>
      <h1>Topics</h1>
      <Notice text={props.notice} />
      <section class="panel">
        <div class="table-wrap" tabindex={0}>
          <table>
            <caption class="visually-hidden">Topics, with how many people are subscribed</caption>
            <thead>
              <tr><th scope="col">Topic</th><th scope="col">Id</th><th scope="col">Default</th><th scope="col">Double opt-in</th><th scope="col">State</th><th scope="col" class="num">Subscribed</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Unsubscribed</th></tr>
            </thead>
            <tbody>
              {props.rows.map(({ topic, subscribed, unsubscribed, pending }) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/settings/topics/${encodeURIComponent(topic.id)}`}>{topic.nameEn}</a>
                    <br />
                    <span class="muted" lang="nl">{topic.nameNl}</span>
                  </th>
                  <td><code>{topic.id}</code></td>
                  <td>{topic.defaultStatus}</td>
                  <td>{topic.doubleOptIn ? 'yes' : 'no'}</td>
                  <td>{topic.retiredAt === null ? 'in use' : <span class="tag">retired</span>}</td>
                  <td class="num">{num.format(subscribed)}</td>
                  <td class="num">{num.format(pending)}</td>
                  <td class="num">{num.format(unsubscribed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <DefaultStatusExplained />
      </section>
      {viewer.can.settings ? (
        <section class="panel">
          <h2 id="add">Add a topic</h2>
          {props.error ? <p class="notice error" role="alert">{props.error}</p> : null}
          <form method="post" action="/admin/settings/topics" class="stack">
            <Csrf viewer={viewer} />
            <div class="field">
              <label for="t-id">Id (in links and the API; cannot change later)</label>
              <input id="t-id" name="id" required maxlength={40} pattern="[a-z0-9][a-z0-9\-]{0,39}" value={values.id} aria-invalid={props.field === 'id' ? 'true' : undefined} aria-describedby="t-id-hint" />
              <span id="t-id-hint" class="muted">Lower-case letters, digits and dashes, e.g. <code>product-news</code>.</span>
            </div>
            <TextFields values={values} field={props.field} />
            <fieldset>
              <legend>Default</legend>
              <label class="check"><input type="radio" name="defaultStatus" value="opt-in" checked={values.defaultStatus !== 'opt-out'} /><span>Opt-in: only people who subscribe</span></label>
              <label class="check"><input type="radio" name="defaultStatus" value="opt-out" checked={values.defaultStatus === 'opt-out'} /><span>Opt-out: every contact unless they unsubscribe (only where the law allows it, e.g. service updates to customers)</span></label>
            </fieldset>
            <button type="submit" class="primary">Add topic</button>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

/** /admin/settings/topics/:id: one topic, the form that edits it, and retiring or reinstating it. */
export function TopicPage(props: { viewer: ConsoleViewer; row: TopicListRow; notice?: string | undefined; values?: TopicFormValues | undefined; error?: string | undefined; field?: string | undefined }) {
  const { viewer, row } = props;
  const { topic } = row;
  const values: TopicFormValues = props.values ?? { id: topic.id, nameNl: topic.nameNl, nameEn: topic.nameEn, descriptionNl: topic.descriptionNl, descriptionEn: topic.descriptionEn, defaultStatus: topic.defaultStatus, doubleOptIn: topic.doubleOptIn };
  const action = `/admin/settings/topics/${encodeURIComponent(topic.id)}`;
  return (
    <ConsoleLayout title={`Topic ${topic.nameEn}`} viewer={viewer} current="settings">
      <p><a href="/admin/settings/topics">← Topics</a></p>
      <h1>
        {topic.nameEn} {topic.retiredAt === null ? null : <span class="tag">retired</span>}
      </h1>
      <Notice text={props.notice} />
      <section class="panel">
        <dl class="facts">
          <div><dt>Id</dt><dd><code>{topic.id}</code></dd></div>
          <div><dt>Default</dt><dd>{topic.defaultStatus}</dd></div>
          <div><dt>Double opt-in</dt><dd>{topic.doubleOptIn ? 'yes' : 'no'}</dd></div>
          <div><dt>Added</dt><dd><When at={topic.createdAt} /></dd></div>
          <div><dt>Retired</dt><dd>{topic.retiredAt === null ? 'no' : <When at={topic.retiredAt} />}</dd></div>
          <div><dt>Subscribed</dt><dd>{num.format(row.subscribed)}</dd></div>
        </dl>
      </section>
      {viewer.can.settings ? (
        <>
          <section class="panel">
            <h2>Edit</h2>
            {props.error ? <p class="notice error" role="alert">{props.error}</p> : null}
            <form method="post" action={action} class="stack">
              <Csrf viewer={viewer} />
              <TextFields values={values} field={props.field} />
              {topic.defaultStatus === 'opt-out' ? (
                <fieldset>
                  <legend>Default</legend>
                  <label class="check"><input type="radio" name="defaultStatus" value="opt-out" checked={values.defaultStatus !== 'opt-in'} /><span>Opt-out (as now)</span></label>
                  <label class="check"><input type="radio" name="defaultStatus" value="opt-in" checked={values.defaultStatus === 'opt-in'} /><span>Make it opt-in: people without a subscription stop receiving it. This cannot be undone.</span></label>
                </fieldset>
              ) : (
                <input type="hidden" name="defaultStatus" value="opt-in" />
              )}
              <DefaultStatusExplained />
              <button type="submit" class="primary">Save</button>
            </form>
          </section>
          <section class="panel">
            <h2>{topic.retiredAt === null ? 'Retire' : 'Reinstate'}</h2>
            {topic.retiredAt === null ? (
              <form method="post" action={`${action}/retire`} class="danger-zone">
                <Csrf viewer={viewer} />
                <p>A retired topic leaves the preference center, takes no new subscriptions, and the mail hook sends nothing for it (reason <code>topic-retired</code>). Unsubscribe links already mailed keep working; its history and suppressions stay.</p>
                <button type="submit" class="secondary">Retire this topic</button>
              </form>
            ) : (
              <form method="post" action={`${action}/reinstate`} class="stack">
                <Csrf viewer={viewer} />
                <p>Reinstating brings the topic back as it was: everyone's subscription stayed as it was when it was retired.</p>
                <button type="submit" class="primary">Reinstate this topic</button>
              </form>
            )}
          </section>
        </>
      ) : null}
    </ConsoleLayout>
  );
}
