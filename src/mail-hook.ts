import { loadConfig, type Config } from './config.ts';
import type { CoreDeps } from './core/deps.ts';
import { loadMailHook, type MailHook } from './mail/hook.ts';
import { openRuntime } from './runtime.ts';

export interface MailHookOptions {
  /** An open core and its config (a server's, a test's); the hook uses it and leaves closing to its owner. */
  runtime?: { core: CoreDeps; config: Config } | undefined;
  /** Otherwise the hook opens the database of this config itself (default: the environment). */
  config?: Config | undefined;
}

/**
 * The mail hook for Node senders that run beside the database (the library face of optbox).
 * Loads and compiles the templates first, so invalid MJML stops the caller at start, not at a
 * send. Without a runtime it opens the database itself; `close()` closes it again.
 *
 *   const hook = await createMailHook();
 *   const mail = await hook.prepare({ to, topic: 'newsletter', template: 'newsletter', data, subject });
 *   if (mail.send) await transport.sendMail({ from, to, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers });
 */
export async function createMailHook(options: MailHookOptions = {}): Promise<MailHook> {
  if (options.runtime) return loadMailHook(options.runtime);
  const runtime = await openRuntime(options.config ?? loadConfig());
  try {
    return { ...(await runtime.mail.hook()), close: () => runtime.close() };
  } catch (err) {
    runtime.close();
    throw err;
  }
}
