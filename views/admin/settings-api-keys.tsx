import type { ApiKeyRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';
import { Choices, RowAction, SecretOnce } from './settings-parts.tsx';

/** What each scope lets a key do, in the words of the API reference. */
export const SCOPE_LABELS: Record<string, string> = {
  'suppressions:read': 'Check and export the suppression list',
  'suppressions:write': 'Add and remove suppressions',
  'contacts:read': 'Read contacts and their topics',
  'contacts:write': 'Create, change and erase contacts',
  'messages:prepare': 'Prepare messages (the mail hook: may this address be mailed, and its links)',
  'webhooks:manage': 'Register webhook endpoints and read their delivery log',
};

export interface ApiKeyFormValues {
  name: string;
  scopes: string[];
}

export interface ApiKeysPageProps {
  viewer: ConsoleViewer;
  keys: ApiKeyRow[];
  /** Webhook endpoints each key registered (by key id): they stay when the key is revoked. */
  endpoints: ReadonlyMap<string, number>;
  scopes: readonly string[];
  /** The key just made: shown in this answer only (never stored, never in a URL). */
  created?: { name: string; key: string } | undefined;
  values?: ApiKeyFormValues | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/** /admin/settings/api-keys: every key (never its secret), creating one, revoking one. */
export function ApiKeysPage(props: ApiKeysPageProps) {
  const { viewer, created } = props;
  const v = props.values;
  return (
    <ConsoleLayout title="API keys" viewer={viewer} current="settings">
      <p class="crumbs"><a href="/admin/settings">Settings</a></p>
      <h1>API keys</h1>
      <p class="muted">The sending pipeline and marketing tools call the API with a key (<code>Authorization: Bearer obx_…</code>). optbox keeps only a hash of each key: a key is shown once, when it is made.</p>
      <Notice text={props.notice} />
      {created ? (
        <SecretOnce id="new-key-value" heading={`New key “${created.name}”`} label="The key" value={created.key} what="this key (anyone who has it can use the API with its scopes)" />
      ) : null}
      <section class="panel">
        <h2>Keys</h2>
        {props.keys.length === 0 ? <p class="empty" role="status">No API keys yet.</p> : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Webhook endpoints</th><th scope="col">Revoked</th>{viewer.can.settings ? <th scope="col"><span class="visually-hidden">Action</span></th> : null}</tr>
              </thead>
              <tbody>
                {props.keys.map((k) => (
                  <tr>
                    <td>{k.name}</td>
                    <td><code>{k.prefix}…</code></td>
                    <td class="small">{k.scopes.join(', ')}</td>
                    <td><When at={k.createdAt} /></td>
                    <td><When at={k.lastUsedAt} /></td>
                    <td class="num">{props.endpoints.get(k.id) ?? 0}</td>
                    <td>{k.revokedAt === null ? <span class="muted">no</span> : <When at={k.revokedAt} />}</td>
                    {viewer.can.settings ? (
                      <td>
                        {k.revokedAt === null ? <RowAction viewer={viewer} action={`/admin/settings/api-keys/${encodeURIComponent(k.id)}/revoke`} text="Revoke" name={`the key ${k.name} (${k.prefix}…)`} kind="danger" /> : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="muted small">Revoking takes effect at once: the next request with the key gets 401 (on other optbox instances on the same PostgreSQL within a moment). Webhook endpoints a key registered stay until removed on the Webhooks page.</p>
      </section>
      {viewer.can.settings ? (
        <section class="panel">
          <h2>Create a key</h2>
          <Notice text={props.error} kind="error" />
          <form method="post" action="/admin/settings/api-keys" class="stack">
            <Csrf viewer={viewer} />
            <div class="field">
              <label for="name">Name (who uses it, e.g. “newsletter pipeline”)</label>
              <input id="name" name="name" type="text" required maxlength={100} autocomplete="off" value={v?.name ?? ''} />
            </div>
            <Choices legend="Scopes: what the key may do" name="scopes" options={props.scopes} labels={SCOPE_LABELS} checked={v?.scopes ?? []} />
            <button type="submit" class="primary">Create key</button>
          </form>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
