import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

/** Who is looking at a console page, and the token its forms carry (CSRF, per session). */
export interface ConsoleViewer {
  email: string;
  role: 'admin' | 'privacy' | 'viewer';
  csrf: string;
  /** May this operator change contacts, suppressions, settings, manage operators? Hides forms and links they cannot use. */
  can: { contacts: boolean; requests: boolean; suppressions: boolean; settings: boolean; operators: boolean };
}

const NAV: Array<{ href: string; label: string; key: string }> = [
  { href: '/admin', label: 'Dashboard', key: 'dashboard' },
  { href: '/admin/contacts', label: 'Contacts', key: 'contacts' },
  { href: '/admin/requests', label: 'Requests', key: 'requests' },
  { href: '/admin/suppressions', label: 'Suppressions', key: 'suppressions' },
  { href: '/admin/ledger', label: 'Ledger', key: 'ledger' },
  { href: '/admin/settings', label: 'Settings', key: 'settings' },
  { href: '/admin/sessions', label: 'Sessions', key: 'sessions' },
];

/**
 * The frame of every console page: English (operators, not recipients), one stylesheet, no
 * script at all (the CSP forbids it); every form is a plain POST carrying the session's token.
 */
export function ConsoleLayout(props: { title: string; viewer?: ConsoleViewer | undefined; current?: string; refreshSeconds?: number | undefined; children: Child }) {
  const { viewer } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex, nofollow" />
          <meta name="referrer" content="same-origin" />
          {/* Progress without script: the page reloads itself while a job runs. */}
          {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
          <title>{`${props.title} · optbox console`}</title>
          <link rel="stylesheet" href="/assets/optbox.css" />
          <link rel="stylesheet" href="/assets/console.css" />
        </head>
        <body class="console">
          <header class="topbar">
            <a class="logo" href="/admin">optbox <span>console</span></a>
            {viewer ? (
              <nav aria-label="Console">
                <ul>
                  {NAV.map((n) => (
                    <li>
                      <a href={n.href} aria-current={props.current === n.key ? 'page' : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {viewer ? (
              <form method="post" action="/admin/logout" class="whoami">
                <span>
                  {viewer.email} <span class="role">{viewer.role}</span>
                </span>
                <input type="hidden" name="_csrf" value={viewer.csrf} />
                <button type="submit" class="small secondary">Sign out</button>
              </form>
            ) : null}
          </header>
          <main class="console-main">{props.children}</main>
        </body>
      </html>
    </>
  );
}

/** The hidden field every console form carries. */
export function Csrf(props: { viewer: ConsoleViewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}

/** A notice after a redirect (?done=…): a status line screen readers announce. */
export function Notice(props: { text?: string | undefined; kind?: 'ok' | 'error' }) {
  if (!props.text) return null;
  return (
    <p class={`notice ${props.kind ?? 'ok'}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.text}
    </p>
  );
}

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
/** A moment as operators read it, always UTC (the ledger's own time). */
export function When(props: { at: number | null }) {
  if (props.at === null) return <span class="muted">—</span>;
  return <time datetime={new Date(props.at).toISOString()}>{fmt.format(props.at) + ' UTC'}</time>;
}
