import type { TimelineEntry } from '../../src/core/console-contacts.ts';
import type { ContactRow, SuppressionRow, TopicRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

export function ContactSearchPage(props: { viewer: ConsoleViewer; q: string; results: ContactRow[] | null; error?: string | undefined }) {
  return (
    <ConsoleLayout title="Contacts" viewer={props.viewer} current="contacts">
      <h1>Contacts</h1>
      <section class="panel">
        <form method="get" action="/admin/contacts" class="search" role="search">
          <div class="field grow">
            <label for="q">Address, external id or contact id</label>
            <input id="q" name="q" type="search" value={props.q} autocomplete="off" />
          </div>
          <button type="submit" class="primary">Search</button>
        </form>
        <Notice text={props.error} kind="error" />
        {props.results === null ? null : props.results.length === 0 ? (
          <p role="status">No contact found for “{props.q}”.</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Address</th><th scope="col">External id</th><th scope="col">Status</th><th scope="col">Since</th></tr>
              </thead>
              <tbody>
                {props.results.map((c) => (
                  <tr>
                    <td><a href={`/admin/contacts/${encodeURIComponent(c.id)}`}>{c.email ?? `(erased) ${c.id}`}</a></td>
                    <td>{c.externalId ?? '—'}</td>
                    <td>{c.status}</td>
                    <td><When at={c.createdAt} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </ConsoleLayout>
  );
}

const ACTION_LABELS: Record<string, string> = {
  subscribe: 'Subscribed',
  'subscribe-pending': 'Subscribed, awaiting confirmation',
  unsubscribe: 'Unsubscribed',
  suppress: 'Suppressed',
  unsuppress: 'Suppression removed',
  restrict: 'Restriction (pause) changed',
  object: 'Objection to profiling changed',
  export: 'Data exported',
  rectify: 'Address changed',
  erase: 'Erased',
};

export interface ContactPageProps {
  viewer: ConsoleViewer;
  contact: ContactRow;
  topics: Array<{ topic: TopicRow; status: string }>;
  suppressions: SuppressionRow[];
  timeline: TimelineEntry[];
  paused: boolean;
  notice?: string | undefined;
}

export function ContactPage(props: ContactPageProps) {
  const { contact, viewer } = props;
  const erased = contact.status === 'erased';
  const base = `/admin/contacts/${encodeURIComponent(contact.id)}`;
  const topicName = (id: string | null) => (id === null ? '' : id === '*' ? 'all mail' : (props.topics.find((t) => t.topic.id === id)?.topic.nameEn ?? id));
  const edit = viewer.can.contacts && !erased;
  return (
    <ConsoleLayout title={contact.email ?? 'Erased contact'} viewer={viewer} current="contacts">
      <p class="crumbs"><a href="/admin/contacts">Contacts</a></p>
      <h1 class="break">{contact.email ?? 'Erased contact'}</h1>
      <Notice text={props.notice} />
      <dl class="facts">
        <div><dt>Contact id</dt><dd><code>{contact.id}</code></dd></div>
        <div><dt>External id</dt><dd>{contact.externalId ?? '—'}</dd></div>
        <div><dt>Language</dt><dd>{contact.locale}</dd></div>
        <div><dt>Status</dt><dd>{contact.status}</dd></div>
        <div><dt>Created</dt><dd><When at={contact.createdAt} /></dd></div>
        <div><dt>Mail paused until</dt><dd>{props.paused ? <When at={contact.pausedUntil} /> : 'not paused'}</dd></div>
        <div><dt>Profiling</dt><dd>{contact.noProfiling ? 'objected (art. 21)' : 'no objection'}</dd></div>
      </dl>
      <div class="grid two">
        <section class="panel">
          <h2>Topics</h2>
          {edit ? (
            <form method="post" action={`${base}/topics`}>
              <Csrf viewer={viewer} />
              <fieldset>
                <legend class="visually-hidden">Topics this contact receives</legend>
                <ul class="checks">
                  {props.topics.map(({ topic, status }) => (
                    <li>
                      <input type="hidden" name="shown" value={topic.id} />
                      <label class="check">
                        <input type="checkbox" name="topic" value={topic.id} checked={status === 'subscribed' || status === 'pending'} />
                        <span>{topic.nameEn} <span class="muted">({status})</span>{topic.retiredAt !== null ? <span class="tag">retired: can be turned off, not on</span> : null}</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <button type="submit" class="primary">Save topics</button>
            </form>
          ) : (
            <ul class="plain">
              {props.topics.map(({ topic, status }) => <li>{topic.nameEn}: {status}</li>)}
            </ul>
          )}
        </section>
        <section class="panel">
          <h2>Pause and profiling</h2>
          {edit ? (
            <form method="post" action={`${base}/flags`} class="stack">
              <Csrf viewer={viewer} />
              <div class="field">
                <label for="pause">Pause all mail (restriction, GDPR art. 18)</label>
                <select id="pause" name="pause">
                  <option value="keep" selected>Keep as it is</option>
                  <option value="0">No pause</option>
                  <option value="30">30 days from now</option>
                  <option value="90">90 days from now</option>
                  <option value="365">One year from now</option>
                </select>
              </div>
              <label class="check">
                <input type="checkbox" name="noProfiling" value="1" checked={contact.noProfiling} />
                <span>Objects to profiling (GDPR art. 21)</span>
              </label>
              <button type="submit" class="primary">Save</button>
            </form>
          ) : (
            <p class="muted">Read only.</p>
          )}
        </section>
      </div>
      <section class="panel">
        <h2>Suppressions</h2>
        {props.suppressions.length === 0 ? <p class="muted">None standing.</p> : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Scope</th><th scope="col">Reason</th><th scope="col">Source</th><th scope="col">Since</th><th scope="col">Lapses</th>{edit ? <th scope="col">Remove</th> : null}</tr>
              </thead>
              <tbody>
                {props.suppressions.map((s) => (
                  <tr>
                    <td>{s.scope === '*' ? 'All mail' : topicName(s.scope)}</td>
                    <td>{s.reason}</td>
                    <td>{s.source}</td>
                    <td><When at={s.createdAt} /></td>
                    <td>{s.expiresAt === null ? 'never' : <When at={s.expiresAt} />}</td>
                    {edit ? (
                      <td>
                        <form method="post" action={`${base}/unsuppress`} class="inline-form">
                          <Csrf viewer={viewer} />
                          <input type="hidden" name="scope" value={s.scope} />
                          <label class="visually-hidden" for={`note-${s.id}`}>Why remove this suppression</label>
                          <input id={`note-${s.id}`} name="note" placeholder="Why (required)" required maxlength={300} />
                          {s.reason === 'complaint' || s.reason === 'erasure' ? (
                            <label class="check small">
                              <input type="checkbox" name="override" value="1" />
                              <span>Override a {s.reason}</span>
                            </label>
                          ) : null}
                          <button type="submit" class="small secondary">Remove</button>
                        </form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {edit ? (
          <form method="post" action={`${base}/suppress`} class="row-form">
            <Csrf viewer={viewer} />
            <div class="field">
              <label for="s-scope">Scope</label>
              <select id="s-scope" name="scope">
                <option value="*">All mail</option>
                {props.topics.map(({ topic }) => <option value={topic.id}>{topic.nameEn}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="s-reason">Reason</label>
              <select id="s-reason" name="reason">
                <option value="manual">Manual</option>
                <option value="bounce">Bounce</option>
                <option value="complaint">Complaint</option>
              </select>
            </div>
            <div class="field grow">
              <label for="s-note">Why (required)</label>
              <input id="s-note" name="note" required maxlength={300} />
            </div>
            <button type="submit" class="primary">Suppress</button>
          </form>
        ) : null}
      </section>
      {viewer.can.contacts && !erased ? (
        <section class="panel">
          <h2>Data and erasure</h2>
          <div class="actions-row">
            <form method="post" action={`${base}/export`}>
              <Csrf viewer={viewer} />
              <button type="submit" class="secondary">Download the contact's data (JSON)</button>
            </form>
            <form method="post" action={`${base}/erase`} class="danger-zone">
              <Csrf viewer={viewer} />
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required />
                <span>Erase this contact (GDPR art. 17): the address and history go; a hashed suppression stays so they are never mailed again.</span>
              </label>
              <button type="submit" class="danger">Erase contact</button>
            </form>
          </div>
        </section>
      ) : null}
      <section class="panel">
        <h2>Consent ledger</h2>
        {props.timeline.length === 0 ? <p class="muted">No events.</p> : (
          <ol class="timeline">
            {props.timeline.map(({ event: e, actorLabel, consentText }) => (
              <li>
                <p class="what">
                  <strong>{ACTION_LABELS[e.action] ?? e.action}</strong>
                  {e.topic ? <span> · {topicName(e.topic)}</span> : null}
                </p>
                <p class="meta">
                  <When at={e.at} /> · via <span class="tag">{e.source}</span>
                  {actorLabel ? <span> · by {actorLabel}</span> : null} · policy {e.policyVersion}
                  {e.campaign ? <span> · campaign {e.campaign}</span> : null} · #{e.id}
                </p>
                {consentText ? (
                  <details>
                    <summary>Consent text shown ({consentText.locale}, policy {consentText.policyVersion})</summary>
                    <blockquote>{consentText.text}</blockquote>
                  </details>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </ConsoleLayout>
  );
}
