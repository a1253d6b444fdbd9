import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';
import { Choices, RowAction, SecretOnce } from './settings-parts.tsx';

const BASE = '/admin/settings/webhooks';
const pathOf = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

const EVENT_LABELS: Record<string, string> = {
  'subscription.updated': 'A contact’s topics changed (subscribed, unsubscribed)',
  'suppression.created': 'An address was suppressed (unsubscribe, bounce, complaint, manual)',
  'suppression.deleted': 'A suppression was lifted',
  'contact.erased': 'A contact was erased (GDPR art. 17)',
};

/** Who registered an endpoint: an API key (by name) or an operator (by address). */
export type MadeBy = (createdBy: string) => string;

/** Healthy, failing since …, paused until …: how the worker treats the endpoint now. */
function Health(props: { endpoint: WebhookEndpointRow; now: number }) {
  const e = props.endpoint;
  if (e.failingSince === null) return <span>answering</span>;
  return (
    <span>
      <strong class="tag overdue">failing</strong> since <When at={e.failingSince} />
      {e.pausedUntil !== null && e.pausedUntil > props.now ? <span>; paused until <When at={e.pausedUntil} /></span> : null}
    </span>
  );
}

export interface WebhookFormValues {
  url: string;
  events: string[];
  description: string;
}

export interface WebhooksPageProps {
  viewer: ConsoleViewer;
  endpoints: WebhookEndpointRow[];
  events: readonly string[];
  madeBy: MadeBy;
  now: number;
  /** The endpoint just registered, with its signing secret: shown in this answer only. */
  created?: { id: string; url: string; secret: string } | undefined;
  values?: WebhookFormValues | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/** /admin/settings/webhooks: the receivers, their health, and registering one. */
export function WebhooksPage(props: WebhooksPageProps) {
  const { viewer, created } = props;
  const v = props.values;
  return (
    <ConsoleLayout title="Webhooks" viewer={viewer} current="settings">
      <p class="crumbs"><a href="/admin/settings">Settings</a></p>
      <h1>Webhooks</h1>
      <p class="muted">
        optbox POSTs each event to every endpoint that listens for it, signed per Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
        <code>webhook-signature</code>). A failed delivery is tried again later (5 s, 5 min, 30 min, 2 h, 5 h, 10 h); an endpoint that keeps failing is paused as a whole.
      </p>
      <Notice text={props.notice} />
      {created ? (
        <SecretOnce id="new-secret" heading="Endpoint registered" label={`Signing secret for ${created.url}`} value={created.secret} what="the signing secret (the receiver checks each delivery’s signature with it)">
          <p><a href={pathOf(created.id)}>Open its delivery log</a></p>
        </SecretOnce>
      ) : null}
      <section class="panel">
        <h2>Endpoints</h2>
        {props.endpoints.length === 0 ? <p class="empty" role="status">No webhook endpoints yet.</p> : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Registered</th><th scope="col">By</th><th scope="col">State</th></tr>
              </thead>
              <tbody>
                {props.endpoints.map((e) => (
                  <tr>
                    <td class="break"><a href={pathOf(e.id)}>{e.url}</a>{e.description ? <div class="muted small">{e.description}</div> : null}</td>
                    <td class="small">{e.events.join(', ')}</td>
                    <td><When at={e.createdAt} /></td>
                    <td class="break small">{props.madeBy(e.createdBy)}</td>
                    <td><Health endpoint={e} now={props.now} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {viewer.can.settings ? (
        <section class="panel">
          <h2>Register an endpoint</h2>
          <Notice text={props.error} kind="error" />
          <form method="post" action={BASE} class="stack">
            <Csrf viewer={viewer} />
            <div class="field">
              <label for="url">URL that receives the POSTs (https://…)</label>
              <input id="url" name="url" type="url" required maxlength={2000} autocomplete="off" value={v?.url ?? ''} />
            </div>
            <Choices legend="Events to send" name="events" options={props.events} labels={EVENT_LABELS} checked={v?.events ?? []} />
            <div class="field">
              <label for="description">Description (optional: what it feeds)</label>
              <input id="description" name="description" type="text" maxlength={500} autocomplete="off" value={v?.description ?? ''} />
            </div>
            <button type="submit" class="primary">Register endpoint</button>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

/** A delivery with its event type, its attempts, and whether "retry now" applies to it (the store's rule). */
type Delivery = WebhookDeliveryRow & { type: string; attemptLog: WebhookAttemptRow[]; retryable: boolean };

const STATE_LABELS: Record<string, string> = { pending: 'pending', delivered: 'delivered', failed: 'given up' };

export interface WebhookEndpointPageProps {
  viewer: ConsoleViewer;
  endpoint: WebhookEndpointRow;
  madeBy: MadeBy;
  deliveries: Delivery[];
  next: string | null;
  now: number;
  notice?: string | undefined;
  error?: string | undefined;
}

/** One endpoint: its settings, "retry now", its delivery log (paged, newest first), removing it. */
export function WebhookEndpointPage(props: WebhookEndpointPageProps) {
  const { viewer, endpoint: e } = props;
  const base = pathOf(e.id);
  const act = viewer.can.settings;
  return (
    <ConsoleLayout title="Webhook endpoint" viewer={viewer} current="settings">
      <p class="crumbs"><a href="/admin/settings">Settings</a> › <a href={BASE}>Webhooks</a></p>
      <h1 class="break">{e.url}</h1>
      <Notice text={props.notice} />
      <Notice text={props.error} kind="error" />
      <dl class="facts">
        <div><dt>Events</dt><dd>{e.events.join(', ')}</dd></div>
        <div><dt>Registered</dt><dd><When at={e.createdAt} /> by {props.madeBy(e.createdBy)}</dd></div>
        <div><dt>State</dt><dd><Health endpoint={e} now={props.now} /></dd></div>
        {e.description ? <div><dt>Description</dt><dd>{e.description}</dd></div> : null}
      </dl>
      {act && e.failingSince !== null ? (
        <section class="panel">
          <h2>Failing</h2>
          <p>The worker leaves a failing endpoint alone for a while after each failure. When the receiver is fixed, try it now instead of waiting.</p>
          <form method="post" action={`${base}/retry`}>
            <Csrf viewer={viewer} />
            <button type="submit" class="primary">Retry now</button>
          </form>
        </section>
      ) : null}
      <section class="panel">
        <h2>Delivery log</h2>
        {props.deliveries.length === 0 ? <p class="empty" role="status">No deliveries{props.next === null ? ' yet' : ''}.</p> : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last response</th><th scope="col">Next attempt</th><th scope="col">Created</th>{act ? <th scope="col"><span class="visually-hidden">Action</span></th> : null}</tr>
              </thead>
              <tbody>
                {props.deliveries.map((d) => (
                  <tr>
                    <td><code>{d.type}</code></td>
                    <td>{STATE_LABELS[d.state] ?? d.state}</td>
                    <td class="num">{d.attempts}</td>
                    <td class="break">{d.lastStatus !== null ? <span>HTTP {d.lastStatus}</span> : null}{d.lastError && d.lastError !== `HTTP ${d.lastStatus}` ? <span> {d.lastError}</span> : null}{d.lastStatus === null && !d.lastError ? <span class="muted">—</span> : null}</td>
                    <td>{d.state === 'pending' ? <When at={d.nextAttemptAt} /> : <span class="muted">—</span>}</td>
                    <td><When at={d.createdAt} /></td>
                    {act ? (
                      <td>
                        {d.retryable ? <RowAction viewer={viewer} action={`${base}/deliveries/${d.id}/retry`} text="Retry now" name={`delivery ${d.id} (${d.type})`} kind="secondary" /> : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.next ? <p><a href={props.next} rel="next">Older deliveries →</a></p> : null}
      </section>
      {act ? (
        <section class="panel">
          <h2>Remove</h2>
          <form method="post" action={`${base}/delete`} class="danger-zone">
            <Csrf viewer={viewer} />
            <label class="check">
              <input type="checkbox" name="confirm" value="yes" required />
              <span>Remove this endpoint: nothing more is sent to it, and its pending deliveries and this log go with it.</span>
            </label>
            <button type="submit" class="danger">Remove endpoint</button>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
