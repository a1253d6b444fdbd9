import type { SigningKeyInfo } from '../../src/core/signing-keys.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

export interface SigningKeysPageProps {
  viewer: ConsoleViewer;
  keys: SigningKeyInfo[];
  activeKid: string;
  /** OPTBOX_SECRET's kid when it is set: it signs, the stored keys only verify. */
  environmentKid: string | null;
  notice?: string | undefined;
  error?: string | undefined;
  /** The retire form as it was sent, when it is shown again with an error. */
  retire?: { kid: string } | undefined;
}

/** /admin/settings/signing-keys: the link signing keys by kid (never their material), rotating, retiring a leaked one. */
export function SigningKeysPage(props: SigningKeysPageProps) {
  const { viewer, environmentKid } = props;
  const retirable = props.keys.filter((k) => !k.signs);
  return (
    <ConsoleLayout title="Link signing keys" viewer={viewer} current="settings">
      <p class="crumbs"><a href="/admin/settings">Settings</a></p>
      <h1>Link signing keys</h1>
      <p class="muted">
        Every unsubscribe, preference and sign-in link carries a signature (HS256) and the id (kid) of the key that made it. One key signs new links; every key listed here still
        verifies the links it signed, so links in mail already sent keep working after a rotation.
      </p>
      <Notice text={props.notice} />
      {environmentKid ? (
        <p class="notice ok" role="status">
          OPTBOX_SECRET is set: it signs every new link (kid <code>{environmentKid}</code>) and stays the active key whatever is rotated here. The keys below only verify links they
          signed before. To change the signing key, change OPTBOX_SECRET in the environment.
        </p>
      ) : null}
      <section class="panel">
        <h2>Keys</h2>
        <div class="table-wrap" tabindex={0}>
          <table>
            <thead>
              <tr><th scope="col">Key id (kid)</th><th scope="col">Created</th><th scope="col">Signs new links</th></tr>
            </thead>
            <tbody>
              {environmentKid ? (
                <tr><td><code>{environmentKid}</code> <span class="muted">(OPTBOX_SECRET)</span></td><td><span class="muted">from the environment</span></td><td><strong>yes</strong></td></tr>
              ) : null}
              {props.keys.map((k) => (
                <tr>
                  <td><code>{k.kid}</code></td>
                  <td><When at={k.createdAt} /></td>
                  <td>{k.signs ? <strong>yes</strong> : <span class="muted">no, verifies only</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {viewer.can.settings && !environmentKid ? (
        <section class="panel">
          <h2>Rotate</h2>
          <p>
            Make a new random key and sign every new link with it from now on. The current key keeps verifying the links it signed. Every optbox instance on this database switches
            to the new key within a moment.
          </p>
          <form method="post" action="/admin/settings/signing-keys/rotate">
            <Csrf viewer={viewer} />
            <button type="submit" class="primary">Rotate now</button>
          </form>
        </section>
      ) : null}
      {viewer.can.settings ? (
        <section class="panel">
          <h2>Retire a leaked key</h2>
          <Notice text={props.error} kind="error" />
          {retirable.length === 0 ? <p class="muted">No key can be retired: the key that signs new links never can (rotate first).</p> : (
            <form method="post" action="/admin/settings/signing-keys/retire" class="danger-zone">
              <Csrf viewer={viewer} />
              <p><strong>Only for a key that has leaked.</strong> Retiring deletes the key: every link it signed stops working at once, including the unsubscribe and preference links in every mail already sent with it. People who click them get an “invalid link” page instead of unsubscribing.</p>
              <div class="field">
                <label for="kid">Key to retire</label>
                <select id="kid" name="kid" required>
                  {retirable.map((k) => <option value={k.kid} selected={props.retire?.kid === k.kid}>{k.kid}</option>)}
                </select>
              </div>
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required />
                <span>I understand that every link signed with this key, in mail already sent, stops working.</span>
              </label>
              <button type="submit" class="danger">Retire the key</button>
            </form>
          )}
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
