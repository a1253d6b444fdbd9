import type { Store } from '../db/store.ts';
import type { AddressKeyer } from './address-key.ts';
import type { Clock } from './clock.ts';
import type { SigningKeyRing, TokenService } from './tokens.ts';

/** What every core verb may use. Built once by createCore; tests build it over a fresh database. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  tokens: TokenService;
  /** The link signing keys behind `tokens`: OPTBOX_SECRET's kid, and reloading them after a rotation. */
  signingKeys: SigningKeyRing;
  /** HMAC of a normalized address: the suppression key. */
  addressKey: AddressKeyer;
  /** Keyed, truncated hash for evidence (IP, user agent) kept in the ledger. */
  evidenceHash: (value: string) => string;
  /** Privacy-policy version written into every consent event. */
  policyVersion: string;
  /** Origin for links in mail and pages, without a trailing slash. */
  publicUrl: string;
  /** WEBHOOK_ALLOW_PRIVATE: webhook endpoints may point at loopback, private and link-local addresses. */
  allowPrivateWebhooks?: boolean | undefined;
}

/**
 * Where a change of consent came from, as the ledger records it. The history page names each in
 * words (`source.*` in src/i18n/messages.ts; the type checker holds the two lists together).
 */
export type ConsentSource =
  | 'one-click'
  | 'unsubscribe-page'
  | 'preference-center'
  | 'api'
  | 'admin'
  | 'import'
  | 'bounce-webhook'
  | 'complaint-webhook'
  | 'unsubscribe-webhook'
  | 'mailto'
  | 'cli'
  | 'retention';

/** What a request tells about who made a change; stored only hashed and truncated. */
export interface RequestEvidence {
  ip?: string | undefined;
  userAgent?: string | undefined;
}
