import type { AuditEventRow, ContactRow, PrivacyRequestRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

const OPEN = ['awaiting-verification', 'verified'];
export const STATUS_FILTERS = ['overdue', 'awaiting-verification', 'verified', 'fulfilled', 'refused', 'closed'] as const;

export const KIND_LABELS: Record<string, string> = {
  access: 'Access (art. 15)',
  rectification: 'Rectification (art. 16)',
  erasure: 'Erasure (art. 17)',
  restriction: 'Restriction (art. 18)',
  portability: 'Portability (art. 20)',
  objection: 'Objection (art. 21)',
};
const CHANNEL_LABELS: Record<string, string> = { mail: 'Mail', letter: 'Letter', phone: 'Phone', 'in-person': 'In person', other: 'Other', 'preference-center': 'Preference center (self-service)' };
const STATUS_LABELS: Record<string, string> = {
  overdue: 'Overdue',
  'awaiting-verification': 'Awaiting verification',
  verified: 'Verified',
  fulfilled: 'Fulfilled',
  refused: 'Refused',
  closed: 'Closed',
};
const FULFILMENT_LABELS: Record<string, string> = {
  export: 'Data exported (JSON)',
  erase: 'Contact erased',
  pause: 'Mail paused',
  'no-profiling': 'Objection to profiling recorded',
  'address-change': 'Address changed',
  'no-data': 'Nothing held for this address',
};
const ACTION_LABELS: Record<string, string> = {
  'request.log': 'Logged',
  'request.verification-sent': 'Verification link mailed',
  'request.verification-not-sent': 'Verification link NOT mailed (address suppressed)',
  'request.verified': 'Verified by the person',
  'request.extend': 'Deadline extended',
  'request.fulfil': 'Fulfilled',
  'request.refuse': 'Refused',
  'request.close': 'Closed',
};

const DAY = 86_400_000;
const isOverdue = (r: PrivacyRequestRow, now: number) => OPEN.includes(r.status) && r.dueAt < now;

/** The deadline with how far off (or past) it is. */
function Due(props: { request: PrivacyRequestRow; now: number }) {
  const { request: r, now } = props;
  if (!OPEN.includes(r.status)) return <span><When at={r.dueAt} /></span>;
  const days = Math.ceil((r.dueAt - now) / DAY);
  return (
    <span>
      <When at={r.dueAt} />
      {isOverdue(r, now) ? <strong class="tag overdue"> overdue by {Math.max(1, -days + 1)} day{-days + 1 > 1 ? 's' : ''}</strong> : <span class="muted"> ({days} day{days === 1 ? '' : 's'} left)</span>}
      {r.extendedAt !== null ? <span class="tag">extended</span> : null}
    </span>
  );
}

const who = (r: PrivacyRequestRow) => r.email ?? (r.contactId ? `(erased) ${r.contactId}` : '(no address kept)');

export function RequestListPage(props: { viewer: ConsoleViewer; rows: PrivacyRequestRow[]; page: number; more: boolean; status: string; now: number }) {
  const pageHref = (page: number) => `/admin/requests?${new URLSearchParams({ ...(props.status ? { status: props.status } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString()}`.replace(/\?$/, '');
  return (
    <ConsoleLayout title="Privacy requests" viewer={props.viewer} current="requests">
      <h1>Privacy requests</h1>
      <p class="muted">GDPR arts. 15–21. An answer is due one month from receipt (art. 12(3)); open requests are listed first, the most overdue on top.</p>
      <section class="panel">
        <div class="actions-row">
          <form method="get" action="/admin/requests" class="row-form filters">
            <div class="field">
              <label for="status">Status</label>
              <select id="status" name="status">
                <option value="" selected={props.status === ''}>Any</option>
                {STATUS_FILTERS.map((s) => <option value={s} selected={props.status === s}>{STATUS_LABELS[s]}</option>)}
              </select>
            </div>
            <button type="submit" class="primary">Filter</button>
          </form>
          {props.viewer.can.requests ? <p><a class="button" href="/admin/requests/new">Log a request</a></p> : null}
        </div>
        {props.rows.length === 0 ? <p class="empty" role="status">No requests{props.status ? ` with status “${STATUS_LABELS[props.status] ?? props.status}”` : ''}{props.page > 1 ? ' on this page' : ''}.</p> : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Address</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Received</th><th scope="col">Due</th><th scope="col">Source</th></tr>
              </thead>
              <tbody>
                {props.rows.map((r) => (
                  <tr class={isOverdue(r, props.now) ? 'overdue' : undefined}>
                    <td class="break"><a href={`/admin/requests/${encodeURIComponent(r.id)}`}>{who(r)}</a></td>
                    <td>{KIND_LABELS[r.kind] ?? r.kind}</td>
                    <td>{STATUS_LABELS[r.status] ?? r.status}{r.outcome ? ` (${r.outcome})` : ''}</td>
                    <td><When at={r.receivedAt} /></td>
                    <td><Due request={r} now={props.now} /></td>
                    <td>{CHANNEL_LABELS[r.channel] ?? r.channel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.page > 1 || props.more ? (
          <nav class="links-row" aria-label="Pages">
            {props.page > 1 ? <a href={pageHref(props.page - 1)} rel="prev">← Page {props.page - 1}</a> : null}
            <span>Page {props.page}</span>
            {props.more ? <a href={pageHref(props.page + 1)} rel="next">Page {props.page + 1} →</a> : null}
          </nav>
        ) : null}
      </section>
    </ConsoleLayout>
  );
}

export interface NewRequestValues {
  kind: string;
  channel: string;
  email: string;
  note: string;
  received: string;
}

export function NewRequestPage(props: { viewer: ConsoleViewer; today: string; values?: NewRequestValues | undefined; error?: string | undefined }) {
  const v = props.values;
  return (
    <ConsoleLayout title="Log a privacy request" viewer={props.viewer} current="requests">
      <p class="crumbs"><a href="/admin/requests">Privacy requests</a></p>
      <h1>Log a privacy request</h1>
      <Notice text={props.error} kind="error" />
      {props.viewer.can.requests ? (
        <section class="panel">
          <form method="post" action="/admin/requests" class="stack">
            <Csrf viewer={props.viewer} />
            <div class="field">
              <label for="kind">What the person asks</label>
              <select id="kind" name="kind" required>
                {Object.entries(KIND_LABELS).map(([k, label]) => <option value={k} selected={v?.kind === k}>{label}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="channel">How it arrived</label>
              <select id="channel" name="channel" required>
                {['mail', 'letter', 'phone', 'in-person', 'other'].map((k) => <option value={k} selected={v?.channel === k}>{CHANNEL_LABELS[k]}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="email">The person's address (the verification link goes here)</label>
              <input id="email" name="email" type="email" required maxlength={254} autocomplete="off" value={v?.email ?? ''} />
            </div>
            <div class="field">
              <label for="received">Received on (UTC; empty: now)</label>
              <input id="received" name="received" type="date" max={props.today} value={v?.received ?? ''} />
            </div>
            <div class="field">
              <label for="note">Note (what they wrote, a reference)</label>
              <textarea id="note" name="note" rows={4} maxlength={2000}>{v?.note ?? ''}</textarea>
            </div>
            <p class="muted small">optbox mails the person a verification link; the request can be fulfilled once they followed it.</p>
            <button type="submit" class="primary">Log and send the verification link</button>
          </form>
        </section>
      ) : (
        <p class="muted">Your role may only read requests.</p>
      )}
    </ConsoleLayout>
  );
}

export interface RequestPageProps {
  viewer: ConsoleViewer;
  request: PrivacyRequestRow;
  contact: ContactRow | null;
  history: Array<AuditEventRow & { email: string | null }>;
  now: number;
  notice?: string | undefined;
}

export function RequestPage(props: RequestPageProps) {
  const { request: r, viewer, contact } = props;
  const base = `/admin/requests/${encodeURIComponent(r.id)}`;
  const act = viewer.can.requests;
  const open = OPEN.includes(r.status);
  return (
    <ConsoleLayout title={`${KIND_LABELS[r.kind] ?? r.kind} request`} viewer={viewer} current="requests">
      <p class="crumbs"><a href="/admin/requests">Privacy requests</a></p>
      <h1 class="break">{KIND_LABELS[r.kind] ?? r.kind}: {who(r)}</h1>
      <Notice text={props.notice} />
      <dl class="facts">
        <div><dt>Status</dt><dd>{STATUS_LABELS[r.status] ?? r.status}{r.outcome ? ` (${r.outcome})` : ''}</dd></div>
        <div><dt>Received</dt><dd><When at={r.receivedAt} /> · {CHANNEL_LABELS[r.channel] ?? r.channel}</dd></div>
        <div><dt>Answer due</dt><dd><Due request={r} now={props.now} /></dd></div>
        {r.extensionReason !== null ? <div><dt>Extended because</dt><dd>{r.extensionReason}</dd></div> : null}
        <div><dt>Verified</dt><dd>{r.verifiedAt !== null ? <When at={r.verifiedAt} /> : r.verificationSentAt !== null ? <span>link mailed <When at={r.verificationSentAt} /></span> : 'not yet'}</dd></div>
        <div><dt>Contact</dt><dd>{contact ? <a href={`/admin/contacts/${encodeURIComponent(contact.id)}`}>{contact.email ?? `(erased) ${contact.id}`}</a> : 'none: optbox holds no data for this address'}</dd></div>
        {r.fulfilment !== null ? <div><dt>Fulfilled</dt><dd>{FULFILMENT_LABELS[r.fulfilment] ?? r.fulfilment} · <When at={r.fulfilledAt} /></dd></div> : null}
        {r.refusalReason !== null ? <div><dt>Refused because</dt><dd>{r.refusalReason}</dd></div> : null}
        {r.closedAt !== null ? <div><dt>Closed</dt><dd><When at={r.closedAt} /></dd></div> : null}
      </dl>
      {r.note ? (
        <section class="panel">
          <h2>Note</h2>
          <p class="break prewrap">{r.note}</p>
        </section>
      ) : null}
      {act && r.status !== 'closed' ? (
        <section class="panel">
          <h2>Next step</h2>
          {r.status === 'awaiting-verification' ? (
            <div class="stack">
              <p>The person has not followed the verification link yet. The request cannot be fulfilled before they do.</p>
              <form method="post" action={`${base}/resend`}>
                <Csrf viewer={viewer} />
                <button type="submit" class="secondary">Mail the verification link again</button>
              </form>
            </div>
          ) : null}
          {r.status === 'verified' ? <FulfilForm viewer={viewer} request={r} base={base} hasContact={!!contact && contact.status === 'active'} /> : null}
          {r.status === 'fulfilled' || r.status === 'refused' ? (
            <form method="post" action={`${base}/close`} class="stack">
              <Csrf viewer={viewer} />
              <p>Close the request with the outcome “{r.status}” once the person has their answer.</p>
              <button type="submit" class="primary">Close request</button>
            </form>
          ) : null}
          {open ? (
            <div class="grid two">
              {r.extendedAt === null ? (
                <form method="post" action={`${base}/extend`} class="stack">
                  <Csrf viewer={viewer} />
                  <div class="field">
                    <label for="extend-reason">Extend by two months (art. 12(3)): why</label>
                    <input id="extend-reason" name="reason" required maxlength={500} />
                  </div>
                  <button type="submit" class="secondary">Extend deadline</button>
                </form>
              ) : <p class="muted">The deadline was extended once; art. 12(3) allows no more.</p>}
              <form method="post" action={`${base}/refuse`} class="stack">
                <Csrf viewer={viewer} />
                <div class="field">
                  <label for="refuse-reason">Refuse (art. 12(4)): the reason told to the person</label>
                  <input id="refuse-reason" name="reason" required maxlength={500} />
                </div>
                <button type="submit" class="danger">Refuse request</button>
              </form>
            </div>
          ) : null}
        </section>
      ) : null}
      <section class="panel">
        <h2>History</h2>
        {props.history.length === 0 ? <p class="muted">Nothing recorded (a request made in the preference center is fulfilled as it is made).</p> : (
          <ol class="timeline">
            {props.history.map((h) => (
              <li>
                <p class="what"><strong>{ACTION_LABELS[h.action] ?? h.action}</strong></p>
                <p class="meta"><When at={h.at} /> · {h.operatorId ? `by ${h.email ?? h.operatorId}` : 'by the person'}{h.detail ? <span> · <code>{h.detail}</code></span> : null}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </ConsoleLayout>
  );
}

/** The one action the request's kind calls for. */
function FulfilForm(props: { viewer: ConsoleViewer; request: PrivacyRequestRow; base: string; hasContact: boolean }) {
  const { request: r } = props;
  const what = !props.hasContact
    ? r.kind === 'rectification'
      ? null
      : r.kind === 'access' || r.kind === 'portability'
        ? 'Download the answer: a JSON file that says optbox holds nothing for this address.'
        : 'optbox holds nothing for this address: record the request as fulfilled.'
    : {
        access: 'Download the contact’s data: the same JSON file the person gets from the preference center. Send it to them.',
        portability: 'Download the contact’s data in the machine-readable JSON format of the preference center. Send it to them.',
        erasure: 'Erase the contact: the address and history go, a hashed suppression stays so they are never mailed again.',
        restriction: 'Pause all mail to the contact.',
        objection: 'Record the objection: the contact is left out of profiling (look-alike audiences).',
        rectification: 'Change the contact’s address to the corrected one.',
      }[r.kind];
  if (what === null) return <p>optbox holds no contact for this address, so there is nothing to rectify here. Refuse the request with that reason.</p>;
  return (
    <form method="post" action={`${props.base}/fulfil`} class="stack">
      <Csrf viewer={props.viewer} />
      <p>{what}</p>
      {props.hasContact && r.kind === 'restriction' ? (
        <div class="field">
          <label for="days">Pause for</label>
          <select id="days" name="days">
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365" selected>One year</option>
          </select>
        </div>
      ) : null}
      {props.hasContact && r.kind === 'rectification' ? (
        <div class="field">
          <label for="new-email">Corrected address</label>
          <input id="new-email" name="email" type="email" required maxlength={254} autocomplete="off" />
        </div>
      ) : null}
      {props.hasContact && r.kind === 'erasure' ? (
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required />
          <span>Yes, erase this contact.</span>
        </label>
      ) : null}
      <button type="submit" class={props.hasContact && r.kind === 'erasure' ? 'danger' : 'primary'}>
        {r.kind === 'access' || r.kind === 'portability' ? 'Fulfil: download the data' : r.kind === 'erasure' && props.hasContact ? 'Fulfil: erase the contact' : 'Fulfil request'}
      </button>
    </form>
  );
}
