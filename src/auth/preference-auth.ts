import type { Context } from 'hono';
import type { Config } from '../config.ts';
import { isActive, type ActiveContact } from '../core/contact.ts';
import type { CoreDeps } from '../core/deps.ts';
import { OptboxError } from '../core/errors.ts';
import { subscriberSessionStorage } from '../core/sessions.ts';
import { perWindow, requireRateLimits } from '../core/rate-limits.ts';
import { createSubscriberAuth, type SubscriberSession } from './subscriber-sessions.ts';

/** A browser signed in to the preference center, and the contact it is signed in as. */
export interface SignedIn {
  session: SubscriberSession;
  contact: ActiveContact;
}

/**
 * Who may do what in the preference center.
 *
 * - A session opened by a footer link (`/p/:token`) is weak: mail gets forwarded, so it may
 *   only reduce what the person receives. A session opened by a single-use link mailed to the
 *   address itself is verified; reading personal data (history, download), changing the
 *   address and erasure need a verification younger than STEP_UP_MINUTES ("step-up").
 * - Every form carries a per-session token (`_csrf`, a keyed hash of the session id) on top of
 *   the Origin check (src/app.ts) and SameSite=Lax cookies.
 * - Sign-in links are rate-limited per address and per IP, so the form cannot flood an inbox or
 *   probe addresses quickly. The buckets are the store's (shared by every instance on PostgreSQL).
 */
export function createPreferenceAuth(deps: { core: CoreDeps; config: Config }) {
  const { core, config } = deps;
  const prefs = config.preferences;
  const sessions = createSubscriberAuth(subscriberSessionStorage(core), { secure: config.publicUrl.startsWith('https:'), idleMinutes: prefs.sessionIdleMinutes });
  const window = 15 * 60_000;
  const perAddress = perWindow(prefs.loginLimitPerAddress, window);
  const perIp = perWindow(prefs.loginLimitPerIp, window);
  // Bucket names carry keyed hashes, never an address or an IP in the clear.
  const addressBucket = (email: string) => `signin-address:${core.evidenceHash(email)}`;
  const ipBucket = (ip: string | undefined) => `signin-ip:${core.evidenceHash(ip ?? 'unknown')}`;

  const csrfToken = (session: SubscriberSession) => core.evidenceHash(`csrf\0${session.id}`);
  const verified = (session: SubscriberSession) => session.verifiedAt !== null && core.clock.now() - session.verifiedAt < prefs.stepUpMinutes * 60_000;

  return {
    sessions,
    csrfToken,
    verified,

    /** The signed-in contact, or null. Refreshes the cookie when lucia extended the session. */
    async signedIn(c: Context): Promise<SignedIn | null> {
      const result = await sessions.validate(c.req.header('cookie'));
      if (result.cookie) c.header('Set-Cookie', result.cookie, { append: true });
      if (!result.session || !isActive(result.contact)) return null;
      return { session: result.session, contact: result.contact };
    },

    /** A session form's token must match its session; `verified` forms also need a recent step-up. */
    checkForm(session: SubscriberSession, token: unknown, options: { verified?: boolean } = {}): void {
      if (token !== csrfToken(session)) throw new OptboxError('forbidden', '');
      if (options.verified && !verified(session)) throw new OptboxError('forbidden', '');
    },

    /** Count one link mailed to this address; rate_limited over the limit. */
    takeAddress(email: string, what = 'too many sign-in links'): Promise<void> {
      return requireRateLimits(core, [[addressBucket(email), perAddress]], what);
    },

    /** Count one sign-in request from this IP and for this address; rate_limited over either limit. */
    takeSignIn(ip: string | undefined, email: string): Promise<void> {
      return requireRateLimits(core, [[ipBucket(ip), perIp], [addressBucket(email), perAddress]], 'too many sign-in links');
    },
  };
}

export type PreferenceAuth = ReturnType<typeof createPreferenceAuth>;
