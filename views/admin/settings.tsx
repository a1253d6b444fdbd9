import { ConsoleLayout, type ConsoleViewer } from './layout.tsx';

/** The settings sections, in the order an operator setting up optbox needs them. */
export const SETTINGS_SECTIONS: ReadonlyArray<{ href: string; title: string; what: string; adminsOnly?: boolean }> = [
  { href: '/admin/settings/topics', title: 'Topics', what: 'What people can subscribe to: names in Dutch and English, opt-in or opt-out, double opt-in, retiring a topic.' },
  { href: '/admin/settings/operators', title: 'Operators', what: 'Who may use this console, with which role; invite someone with a one-time setup link.', adminsOnly: true },
  { href: '/admin/settings/api-keys', title: 'API keys', what: 'Keys for the sending pipeline and marketing tools: scopes, when each was last used, revoking one.' },
  { href: '/admin/settings/webhooks', title: 'Webhooks', what: 'Endpoints told of every suppression and subscription change, with their delivery log.' },
  { href: '/admin/settings/signing-keys', title: 'Link signing keys', what: 'The keys that sign unsubscribe and preference links, and rotating them.' },
  { href: '/admin/settings/templates', title: 'Mail templates', what: 'Every mail optbox and the mail hook send, rendered with sample data in Dutch and English.' },
];

/** /admin/settings: one card per section. */
export function SettingsPage(props: { viewer: ConsoleViewer }) {
  return (
    <ConsoleLayout title="Settings" viewer={props.viewer} current="settings">
      <h1>Settings</h1>
      {props.viewer.can.settings ? null : <p class="notice" role="status">Your role ({props.viewer.role}) may look at the settings but not change them.</p>}
      <ul class="cards">
        {SETTINGS_SECTIONS.filter((s) => !s.adminsOnly || props.viewer.can.operators).map((s) => (
          <li class="panel">
            <h2>
              <a href={s.href}>{s.title}</a>
            </h2>
            <p>{s.what}</p>
          </li>
        ))}
      </ul>
    </ConsoleLayout>
  );
}
