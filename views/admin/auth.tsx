import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

export function SignInPage(props: { error?: string | undefined; email?: string | undefined }) {
  return (
    <ConsoleLayout title="Sign in">
      <section class="panel narrow">
        <h1>Sign in to the console</h1>
        <Notice text={props.error} kind="error" />
        <form method="post" action="/admin/login" class="stack">
          <div class="field">
            <label for="email">Email address</label>
            <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <button type="submit" class="primary">Sign in</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

/** The setup link's page: the first admin chooses address and password; others only a password. */
export function SetupPage(props: { email: string | null; action: string; error?: string | undefined }) {
  return (
    <ConsoleLayout title="Set up your account">
      <section class="panel narrow">
        <h1>{props.email ? 'Choose your password' : 'Create the first admin'}</h1>
        <p class="muted">This link works once. Passwords need at least 12 characters; a passphrase of a few words is good.</p>
        <Notice text={props.error} kind="error" />
        <form method="post" action={props.action} class="stack">
          {props.email ? (
            <p>
              Account: <strong>{props.email}</strong>
            </p>
          ) : (
            <div class="field">
              <label for="email">Your email address</label>
              <input id="email" name="email" type="email" autocomplete="username" required />
            </div>
          )}
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength={12} required />
          </div>
          <div class="field">
            <label for="repeat">Password again</label>
            <input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength={12} required />
          </div>
          <button type="submit" class="primary">Save and sign in</button>
        </form>
      </section>
    </ConsoleLayout>
  );
}

export interface SessionLine {
  id: string;
  email: string;
  createdAt: number;
  expiresAt: number;
  userAgent: string | null;
  current: boolean;
  revocable: boolean;
}

export function SessionsPage(props: { viewer: ConsoleViewer; sessions: SessionLine[]; audit: Array<{ at: number; email: string | null; action: string; target: string | null }>; notice?: string | undefined }) {
  return (
    <ConsoleLayout title="Sessions" viewer={props.viewer} current="sessions">
      <h1>Sessions and audit log</h1>
      <Notice text={props.notice} />
      <section class="panel">
        <h2>Signed-in sessions</h2>
        <div class="table-wrap" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col">Signed in</th>
                <th scope="col">Idle expiry</th>
                <th scope="col">Browser</th>
                <th scope="col"><span class="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((s) => (
                <tr>
                  <td>
                    {s.email}
                    {s.current ? <span class="tag">this session</span> : null}
                  </td>
                  <td><When at={s.createdAt} /></td>
                  <td><When at={s.expiresAt} /></td>
                  <td class="muted">{s.userAgent ?? '—'}</td>
                  <td>
                    {s.revocable ? (
                      <form method="post" action={`/admin/sessions/${encodeURIComponent(s.id)}/revoke`}>
                        <Csrf viewer={props.viewer} />
                        <button type="submit" class="small secondary">{s.current ? 'Sign out' : 'Revoke'}</button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="panel">
        <h2>Audit log</h2>
        <p class="muted">Operator actions that are not consent changes (those are in each contact's ledger, with the operator as actor).</p>
        <div class="table-wrap" tabindex={0}>
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Operator</th><th scope="col">Action</th><th scope="col">Target</th></tr>
            </thead>
            <tbody>
              {props.audit.map((a) => (
                <tr>
                  <td><When at={a.at} /></td>
                  <td>{a.email ?? '—'}</td>
                  <td><code>{a.action}</code></td>
                  <td>{a.target ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </ConsoleLayout>
  );
}
