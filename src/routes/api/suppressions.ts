import { Hono } from 'hono';
import { z } from 'zod';
import { scope } from '../../auth/api-key.ts';
import { checkSuppressions, MAX_CHECK_BATCH } from '../../core/suppressions.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { readJson } from '../validate.ts';

const topicId = z.string().min(1).max(64);

export const checkRequest = z.object({
  emails: z.array(z.string().max(320)).min(1).max(MAX_CHECK_BATCH),
  topic: topicId.optional(),
});

/** The suppression list over HTTP, for senders that do not run beside the database. */
export function createSuppressionRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/suppressions/check', scope('suppressions:read'), async (c) => {
    const input = await readJson(c, checkRequest);
    const results = await checkSuppressions(deps.core, input);
    return c.json({ results });
  });
}
