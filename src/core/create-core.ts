import { createHmac } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { createAddressKeyer } from './address-key.ts';
import type { Clock } from './clock.ts';
import type { CoreDeps } from './deps.ts';
import { createSigningKeyRing, loadSecrets } from './secrets.ts';
import { createTokenService } from './tokens.ts';

/** Build the core's dependencies over an open store: secrets loaded, key ring and keyer made once. */
export async function createCore(store: Store, options: { clock: Clock; policyVersion: string; publicUrl: string; secret?: string | undefined; pepper?: string | undefined; allowPrivateWebhooks?: boolean | undefined }): Promise<CoreDeps> {
  const secrets = await loadSecrets(store.secrets, options, options.clock.now());
  const evidenceKey = createHmac('sha256', secrets.pepper).update('evidence').digest();
  const tokens = createTokenService(secrets.signingKeys, secrets.activeKid, options.clock);
  return {
    store,
    clock: options.clock,
    policyVersion: options.policyVersion,
    publicUrl: options.publicUrl,
    allowPrivateWebhooks: options.allowPrivateWebhooks ?? false,
    tokens,
    signingKeys: createSigningKeyRing(store.secrets, tokens, options),
    addressKey: createAddressKeyer(secrets.pepper),
    evidenceHash: (value) => createHmac('sha256', evidenceKey).update(value).digest('base64url').slice(0, 16),
  };
}
