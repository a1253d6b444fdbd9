import type { OperatorRow } from '../../src/db/store.ts';
import type { OperatorStatus } from '../../src/core/operators.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

const ROLES: Array<[OperatorRow['role'], string]> = [
  ['admin', 'admin: everything, settings and operators included'],
  ['privacy', 'privacy: contacts, privacy requests, erasure'],
  ['viewer', 'viewer: reads everything, changes nothing'],
];

export interface OperatorListRow {
  operator: OperatorRow;
  status: OperatorStatus;
  lastSignIn: number | null;
}

/** The setup link of an operator just invited: shown in this one answer, never again. */
export interface Invited {
  email: string;
  role: string;
  setupUrl: string;
  minutes: number;
}

function RoleSelect(props: { id: string; value: string }) {
  return (
    <select id={props.id} name="role">
      {ROLES.map(([v, label]) => (
        <option value={v} selected={props.value === v}>{label}</option>
      ))}
    </select>
  );
}

/**
 * /admin/settings/operators (admins only): everyone who may use the console, inviting one, and
 * changing or disabling another operator. The operator looking at it gets no controls on their
 * own row: nobody demotes or disables themselves.
 */
export function OperatorsPage(props: {
  viewer: ConsoleViewer;
  selfId: string;
  rows: OperatorListRow[];
  notice?: string | undefined;
  error?: string | undefined;
  invite?: { email: string; role: string } | undefined;
  invited?: Invited | undefined;
}) {
  const { viewer } = props;
  return (
    <ConsoleLayout title="Operators" viewer={viewer} current="settings">
      <p><a href="/admin/settings">← Settings</a></p>
      <h1>Operators</h1>
      <Notice text={props.notice} />
      {props.error ? <p class="notice error" role="alert">{props.error}</p> : null}
      {props.invited ? (
        <section class="panel" aria-labelledby="invited">
          <h2 id="invited">Setup link for {props.invited.email}</h2>
          <p>
            Give this link to {props.invited.email} yourself (it is shown only this once, and works once, for {props.invited.minutes} minutes). Whoever opens it chooses the password of a <strong>{props.invited.role}</strong> account.
          </p>
          <p class="break"><code id="setup-url">{props.invited.setupUrl}</code></p>
        </section>
      ) : null}
      <section class="panel">
        <div class="table-wrap" tabindex={0}>
          <table>
            <caption class="visually-hidden">Operators</caption>
            <thead>
              <tr><th scope="col">Address</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Added</th><th scope="col">Last sign-in</th><th scope="col">Change</th></tr>
            </thead>
            <tbody>
              {props.rows.map(({ operator, status, lastSignIn }) => {
                const action = `/admin/settings/operators/${encodeURIComponent(operator.id)}`;
                const self = operator.id === props.selfId;
                return (
                  <tr>
                    <th scope="row" class="break">{operator.email}</th>
                    <td>{operator.role}</td>
                    <td>{status === 'active' ? 'active' : <span class="tag">{status === 'invited' ? 'invited (no password yet)' : 'disabled'}</span>}</td>
                    <td><When at={operator.createdAt} /></td>
                    <td><When at={lastSignIn} /></td>
                    <td>
                      {self ? (
                        <span class="muted">you</span>
                      ) : (
                        <div class="actions-row">
                          <form method="post" action={`${action}/role`} class="inline-form">
                            <Csrf viewer={viewer} />
                            <label for={`role-${operator.id}`} class="visually-hidden">Role of {operator.email}</label>
                            <RoleSelect id={`role-${operator.id}`} value={operator.role} />
                            <button type="submit" class="small secondary">Change role</button>
                          </form>
                          <form method="post" action={`${action}/${status === 'disabled' ? 'enable' : 'disable'}`} class="inline-form">
                            <Csrf viewer={viewer} />
                            <button type="submit" class="small secondary" aria-label={`${status === 'disabled' ? 'Enable' : 'Disable'} ${operator.email}`}>
                              {status === 'disabled' ? 'Enable' : 'Disable'}
                            </button>
                          </form>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p class="muted">Disabling someone ends their sessions at once; they cannot sign in until enabled again. The installation always keeps at least one enabled admin.</p>
      </section>
      <section class="panel">
        <h2>Invite an operator</h2>
        <form method="post" action="/admin/settings/operators" class="stack">
          <Csrf viewer={viewer} />
          <div class="field"><label for="i-email">Address</label><input id="i-email" name="email" type="email" required maxlength={254} value={props.invite?.email ?? ''} /></div>
          <div class="field"><label for="i-role">Role</label><RoleSelect id="i-role" value={props.invite?.role ?? 'viewer'} /></div>
          <button type="submit" class="primary">Invite</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}
