/** The optbox package, for Node senders that run beside the database. */
export { createApp } from './app.ts';
export { loadConfig, type Config } from './config.ts';
export { openRuntime } from './runtime.ts';
export { normalizeEmail } from './core/email.ts';
export { checkSuppressions, suppress, unsuppress } from './core/suppressions.ts';
export { unsubscribe, resubscribe } from './core/subscriptions.ts';
export { upsertContact, updateContact, findContact } from './core/contacts.ts';
export { eraseContact } from './core/erasure.ts';
export { signWebhook } from './core/webhooks.ts';
export { linksFor } from './core/links.ts';
export { verifyLedger } from './core/ledger.ts';
export { OptboxError } from './core/errors.ts';
export { mayMail, type MailDecision, type RefusalReason } from './core/may-mail.ts';
export { createMailHook, type MailHookOptions } from './mail-hook.ts';
export type { MailHook, PrepareInput, PrepareResult, PreparedMail, RefusedMail } from './mail/hook.ts';
export { optboxPlugin, optboxMailer, MailRefusedError, OptboxMessageError, type OptboxMessage, type OptboxMailOptions, type OptboxSendResult } from './mail/nodemailer.ts';
export { TemplateError } from './mail/templates.ts';
