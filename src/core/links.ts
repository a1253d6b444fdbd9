import type { CoreDeps } from './deps.ts';

export interface ContactLinks {
  /** RFC 8058 target: GET shows the confirm page, POST unsubscribes at once. */
  unsubscribeUrl: string;
  /** Opens the preference center. */
  preferencesUrl: string;
}

/** The personal links for one contact and topic, as they go into a mail. */
export function linksFor(deps: CoreDeps, input: { contactId: string; topic: string; campaign?: string | undefined }): ContactLinks {
  return {
    unsubscribeUrl: `${deps.publicUrl}/u/${deps.tokens.sign('unsub', { contactId: input.contactId, topic: input.topic, campaign: input.campaign })}`,
    preferencesUrl: preferencesUrlFor(deps, input.contactId),
  };
}

/** The preference-center link alone: transactional mail carries no unsubscribe link. */
export function preferencesUrlFor(deps: CoreDeps, contactId: string): string {
  return `${deps.publicUrl}/p/${deps.tokens.sign('prefs', { contactId })}`;
}
