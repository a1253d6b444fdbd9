import type { Store } from '../../store.ts';
import type { PgStoreDeps } from '../sync.ts';
import type { AudienceRow } from '../../stores/audience.ts';

/**
 * Read side of a send, as on SQLite (src/db/stores/audience.ts): contacts by normalized address
 * with their subscription to one topic, one statement for the whole batch (`= ANY` over the
 * unique email index).
 */
export function createPgAudienceStore(deps: PgStoreDeps): Store['audience'] {
  return {
    /** Contacts for normalized addresses, indexed like `emails`; `topic` may be '' for none. */
    async byEmails(emails: string[], topic: string): Promise<Array<AudienceRow | undefined>> {
      if (emails.length === 0) return [];
      const { rows } = await deps.orm.$client.query<AudienceRow & { email: string }>({
        name: 'optbox_audience_by_emails',
        text: `SELECT c.email, c.id AS "contactId", c.locale, c.status, c.paused_until AS "pausedUntil", s.status AS subscription
               FROM contacts AS c LEFT JOIN subscriptions AS s ON s.contact_id = c.id AND s.topic_id = $2
               WHERE c.email = ANY($1::text[])`,
        values: [emails, topic],
      });
      const byEmail = new Map(rows.map(({ email, ...row }) => [email, row]));
      return emails.map((email) => byEmail.get(email));
    },
  };
}
