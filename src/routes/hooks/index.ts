import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { limitBody } from '../body-limit.ts';
import { createInboundRoutes } from './inbound.ts';
import { createMailgunRoutes } from './mailgun.ts';
import { createPostmarkRoutes } from './postmark.ts';
import { createSendgridRoutes } from './sendgrid.ts';
import { createSesRoutes } from './ses.ts';

/**
 * Feedback from mail services, under /hooks/<provider>. Each provider answers 404 until it is
 * configured, verifies its own authentication before reading anything else, and answers in the
 * API's JSON error shape. What they report becomes suppressions (core/provider-events.ts).
 */
export function createHookRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  // SendGrid batches up to a few thousand events; 1 MiB is what SendGrid and SNS send at most.
  app.use('*', limitBody(2 * 1024 * 1024));
  app.route('/inbound', createInboundRoutes(deps));
  app.route('/ses', createSesRoutes(deps));
  app.route('/sendgrid', createSendgridRoutes(deps));
  app.route('/postmark', createPostmarkRoutes(deps));
  app.route('/mailgun', createMailgunRoutes(deps));
  return app;
}
