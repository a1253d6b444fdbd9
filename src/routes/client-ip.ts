import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { RequestEvidence } from '../core/deps.ts';

/** The peer address of the connection, when served by Node (tests with app.request have none). */
export function clientIp(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** Who made a change, as the ledger keeps it (core truncates and hashes both). */
export function requestEvidence(c: Context): RequestEvidence {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent') };
}
