import type Database from 'better-sqlite3';

/** What the send decision needs to know about one address besides its suppressions. */
export interface AudienceRow {
  contactId: string;
  locale: 'nl' | 'en';
  status: 'active' | 'erased';
  pausedUntil: number | null;
  /** The contact's subscription row for the topic; null when there is none (topic default applies). */
  subscription: 'subscribed' | 'unsubscribed' | 'pending' | null;
}

/**
 * Read side of a send: contacts by normalized address with their subscription to one topic.
 * Like the suppression check, one statement serves a whole batch (the addresses travel as one
 * JSON array), so a send of thousands costs one index walk per address and no round trips.
 */
export function createAudienceStore(sqlite: Database.Database) {
  const lookup = sqlite.prepare<{ emails: string; topic: string }>(`
    SELECT j.key AS i, c.id AS contactId, c.locale AS locale, c.status AS status,
           c.paused_until AS pausedUntil, s.status AS subscription
    FROM json_each(@emails) AS j
    JOIN contacts AS c ON c.email = j.value
    LEFT JOIN subscriptions AS s ON s.contact_id = c.id AND s.topic_id = @topic`);

  return {
    /** Contacts for normalized addresses, indexed like `emails`; `topic` may be '' for none. */
    async byEmails(emails: string[], topic: string): Promise<Array<AudienceRow | undefined>> {
      const out: Array<AudienceRow | undefined> = new Array(emails.length);
      for (const row of lookup.iterate({ emails: JSON.stringify(emails), topic }) as Iterable<AudienceRow & { i: number }>) {
        const { i, ...rest } = row;
        out[i] = rest;
      }
      return out;
    },
  };
}

export type AudienceStore = ReturnType<typeof createAudienceStore>;
