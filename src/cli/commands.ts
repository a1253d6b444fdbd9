import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { createApiKey, API_SCOPES, listApiKeys, revokeApiKey } from '../core/api-keys.ts';
import { findContact, upsertContact } from '../core/contacts.ts';
import { normalizeEmail } from '../core/email.ts';
import { invalidInput, notFound, OptboxError } from '../core/errors.ts';
import { linksFor } from '../core/links.ts';
import { formatHead, parseHead, verifyLedger } from '../core/ledger.ts';
import { createOperator, operatorList } from '../core/operators.ts';
import { runSuppressionImport, startSuppressionImport } from '../core/suppression-import.ts';
import { rotateSigningKey } from '../core/secrets.ts';
import { copyInstallation } from '../core/db-copy.ts';
import { checkSuppressions, suppress, unsuppress } from '../core/suppressions.ts';
import { knownScope } from '../core/topics.ts';
import { iso } from '../format/time.ts';
import type { Runtime } from '../runtime.ts';
import { runRetention } from '../core/retention.ts';
import { retentionPolicyOf } from '../runtime.ts';

type Values = Record<string, string | boolean | undefined>;
interface Command {
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(deps: Runtime, values: Values, args: string[], print: (line: string) => void): Promise<void>;
  /** Commands that name their databases themselves run without the configured one. */
  runAlone?: (values: Values, args: string[], print: (line: string) => void) => Promise<void>;
}

const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
function arg(args: string[], i: number, name: string): string {
  const value = args[i];
  if (!value) throw invalidInput(name, 'is required');
  return value;
}

/** Every command, by name: a plain table, read by main.ts and usage(). */
export const commands: Readonly<Record<string, Command>> = {
  apikey: {
    summary: `apikey create --name N [--scopes a,b]   create an API key (all scopes unless given: ${API_SCOPES.join(', ')}); the key is the last line
    apikey list                              list keys (never the secret)
    apikey revoke ID                         revoke a key`,
    options: { name: { type: 'string' }, scopes: { type: 'string' } },
    async run(deps, values, args, print) {
      const sub = arg(args, 0, 'subcommand');
      if (sub === 'create') {
        const created = await createApiKey(deps.core, { name: str(values.name) ?? '', scopes: list(values.scopes) });
        print(`created API key ${created.id} with scopes ${created.scopes.join(',')}; it is shown only now:`);
        print(created.key);
      } else if (sub === 'list') {
        for (const k of await listApiKeys(deps.core)) {
          print(`${k.id}  ${k.prefix}…  ${k.name}  [${k.scopes.join(',')}]${k.revokedAt ? '  revoked' : ''}${k.lastUsedAt ? `  last used ${iso(k.lastUsedAt)}` : ''}`);
        }
      } else if (sub === 'revoke') {
        const id = arg(args, 1, 'id');
        await revokeApiKey(deps.core, id);
        print(`revoked ${id}`);
      } else throw invalidInput('subcommand', `unknown: ${sub}`);
    },
  },

  contact: {
    summary: `contact add EMAIL [--topics a,b] [--locale nl|en]   add a contact subscribed to topics`,
    options: { topics: { type: 'string' }, locale: { type: 'string' } },
    async run(deps, values, args, print) {
      if (arg(args, 0, 'subcommand') !== 'add') throw invalidInput('subcommand', 'expected add');
      const locale = str(values.locale);
      if (locale !== undefined && locale !== 'nl' && locale !== 'en') throw invalidInput('locale', 'must be nl or en');
      const result = await upsertContact(deps.core, { email: arg(args, 1, 'email'), topics: list(values.topics), locale, source: 'cli', actor: 'cli' });
      print(`${result.created ? 'added' : 'found'} contact ${result.contact.id}${result.subscribed.length ? `, subscribed to ${result.subscribed.join(', ')}` : ''}`);
    },
  },

  link: {
    summary: `link EMAIL --topic T [--campaign C]     print the unsubscribe and preferences URLs of a contact`,
    options: { topic: { type: 'string' }, campaign: { type: 'string' } },
    async run(deps, values, args, print) {
      const email = normalizeEmail(arg(args, 0, 'email'));
      const topic = await knownScope(deps.core, str(values.topic), 'topic');
      const contact = await findContact(deps.core, { email }).catch((err: unknown) => {
        if (err instanceof OptboxError && err.code === 'not_found') throw notFound(`contact ${email} (add it with: optbox contact add ${email})`);
        throw err;
      });
      const links = linksFor(deps.core, { contactId: contact.id, topic, campaign: str(values.campaign) });
      print(`unsubscribe: ${links.unsubscribeUrl}`);
      print(`preferences: ${links.preferencesUrl}`);
    },
  },

  check: {
    summary: `check EMAIL... [--topic T]              is an address suppressed (for a topic)?`,
    options: { topic: { type: 'string' } },
    async run(deps, values, args, print) {
      if (args.length === 0) throw invalidInput('email', 'is required');
      for (const r of await checkSuppressions(deps.core, { emails: args, topic: str(values.topic) })) {
        print(`${r.email}  ${r.suppressed ? `suppressed (${r.reason}, scope ${r.scope})` : 'not suppressed'}`);
      }
    },
  },

  suppress: {
    summary: `suppress EMAIL [--scope T] [--reason manual|bounce|complaint]   add to the suppression list`,
    options: { scope: { type: 'string' }, reason: { type: 'string' } },
    async run(deps, values, args, print) {
      const reason = str(values.reason) ?? 'manual';
      if (!['manual', 'bounce', 'complaint'].includes(reason)) throw invalidInput('reason', 'must be manual, bounce or complaint');
      const r = await suppress(deps.core, { email: arg(args, 0, 'email'), scope: str(values.scope), reason: reason as 'manual', source: 'cli', actor: 'cli' });
      print(r.created ? 'suppressed' : 'already suppressed');
    },
  },

  unsuppress: {
    summary: `unsuppress EMAIL [--scope T] [--override]   remove from the suppression list`,
    options: { scope: { type: 'string' }, override: { type: 'boolean' } },
    async run(deps, values, args, print) {
      const r = await unsuppress(deps.core, { email: arg(args, 0, 'email'), scope: str(values.scope), override: values.override === true, source: 'cli', actor: 'cli' });
      print(`removed ${r.removed} suppression(s)`);
    },
  },

  ledger: {
    summary: `ledger verify [--head COUNT:HASH]        walk the consent ledger's hash chain and print its head (keep it elsewhere);
                                           with a head kept before, fail when the chain no longer reaches it (rows cut off)`,
    options: { head: { type: 'string' } },
    async run(deps, values, args, print) {
      if (arg(args, 0, 'subcommand') !== 'verify') throw invalidInput('subcommand', 'expected verify');
      const since = str(values.head) === undefined ? undefined : parseHead(str(values.head)!, '--head');
      const result = await verifyLedger(deps.core, { since });
      if (!result.ok) throw new LedgerBroken(`ledger NOT intact at row ${result.brokenAt}: ${result.problem}`);
      print(`ledger intact: ${result.rows} rows${since ? `, reaches the head given (row ${since.rows})` : ''}`);
      print(`head ${formatHead({ rows: result.rows, hash: result.head })}`);
    },
  },

  operator: {
    summary: `operator create EMAIL --role admin|privacy|viewer   add a console operator; prints their one-time setup link
    operator list                            list console operators`,
    options: { role: { type: 'string' } },
    async run(deps, values, args, print) {
      const sub = arg(args, 0, 'subcommand');
      if (sub === 'create') {
        const created = await createOperator(deps.core, { email: arg(args, 1, 'email'), role: str(values.role) ?? '', minutes: deps.config.admin.setupMinutes, actor: null });
        print(`created ${created.role} ${created.email}; they choose a password with this link (works once, ${deps.config.admin.setupMinutes} minutes):`);
        print(created.setupUrl);
      } else if (sub === 'list') {
        for (const o of await operatorList(deps.core)) print(`${o.id}  ${o.email}  ${o.role}${o.passwordHash ? '' : '  (setup pending)'}${o.disabledAt ? '  disabled' : ''}`);
      } else throw invalidInput('subcommand', `unknown: ${sub}`);
    },
  },

  import: {
    summary: `import FILE.csv                          import suppressions from CSV (columns email, scope, reason, expires_at; as the export writes them)`,
    options: {},
    async run(deps, _values, args, print) {
      const file = arg(args, 0, 'file');
      const id = await startSuppressionImport(deps.core, { file, fileName: basename(file), operatorId: null });
      // A progress bar on a terminal; nothing but the summary when piped or logged.
      const tty = process.stderr.isTTY;
      const started = performance.now();
      const result = await runSuppressionImport(deps.core, {
        id,
        file,
        actor: 'cli',
        onProgress: tty
          ? (p, total) => {
              const share = total ? Math.min(1, p.bytesRead / total) : 1;
              const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
              process.stderr.write(`\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.rows.toLocaleString('en-US')} rows, ${p.failed.toLocaleString('en-US')} with errors `);
            }
          : undefined,
      });
      if (tty) process.stderr.write('\n');
      for (const e of result.errors.slice(0, 20)) print(`line ${e.line}: ${e.field} ${e.message}`);
      if (result.failed > 20) print(`… and ${result.failed - 20} more rows with errors`);
      const secs = (performance.now() - started) / 1000;
      print(`${result.status === 'done' ? 'imported' : `failed (${result.message})`}: ${result.rows} rows, ${result.created} added, ${result.existing} already on the list, ${result.failed} with errors, in ${secs.toFixed(1)} s`);
      if (result.status === 'failed') throw invalidInput('file', result.message ?? 'could not be read');
    },
  },

  db: {
    summary: `db copy --from sqlite:PATH|postgres://… --to postgres://…|sqlite:PATH
                                             copy everything to a new database of either engine, ledger chain included, and verify it`,
    options: { from: { type: 'string' }, to: { type: 'string' } },
    async run() {},
    async runAlone(values, args, print) {
      if (arg(args, 0, 'subcommand') !== 'copy') throw invalidInput('subcommand', 'expected copy');
      const tty = process.stderr.isTTY;
      const report = await copyInstallation({ from: str(values.from) ?? '', to: str(values.to) ?? '' }, (table, rows) => {
        if (tty) process.stderr.write(`\r${table}: ${rows} rows`.padEnd(60));
      });
      if (tty) process.stderr.write('\n');
      for (const t of report.tables) if (t.rows > 0) print(`${t.table}: ${t.rows}`);
      print(`copied and verified: ${report.tables.reduce((n, t) => n + t.rows, 0)} rows in ${report.tables.length} tables; ledger ${report.ledger.rows} rows, head ${report.ledger.head}`);
    },
  },

  keys: {
    summary: `keys rotate                              add a new link-signing key (active at next start; old links keep working)`,
    options: {},
    async run(deps, _values, args, print) {
      if (arg(args, 0, 'subcommand') !== 'rotate') throw invalidInput('subcommand', 'expected rotate');
      const key = await rotateSigningKey(deps.core);
      print(`added signing key ${key.kid}; servers on PostgreSQL sign with it within a moment, a server on SQLite after a restart${deps.config.secret ? ' (OPTBOX_SECRET is set and stays the active key while it is)' : ''}`);
    },
  },

  mail: {
    summary: `mail templates                           compile the mail templates (and TEMPLATES_DIR's) and list them
    mail preview EMAIL --template N (--topic T | --transactional) [--data JSON] [--subject S] [--html FILE]
                                             what the mail hook would send: the decision, headers and text (HTML to FILE)`,
    options: { template: { type: 'string' }, topic: { type: 'string' }, transactional: { type: 'boolean' }, data: { type: 'string' }, subject: { type: 'string' }, html: { type: 'string' } },
    async run(deps, values, args, print) {
      const sub = arg(args, 0, 'subcommand');
      const hook = await deps.mail.hook();
      if (sub === 'templates') {
        print(`templates compiled: ${hook.templates().join(', ')}${deps.config.mail.templatesDir ? ` (TEMPLATES_DIR ${deps.config.mail.templatesDir} over the built-in ones)` : ''}`);
        return;
      }
      if (sub !== 'preview') throw invalidInput('subcommand', 'expected templates or preview');
      let data: Record<string, unknown> = {};
      if (str(values.data) !== undefined) {
        try {
          data = JSON.parse(str(values.data)!) as Record<string, unknown>;
        } catch {
          throw invalidInput('data', 'is not JSON');
        }
      }
      const result = await hook.prepare({
        to: arg(args, 1, 'email'),
        template: str(values.template) ?? '',
        topic: str(values.topic),
        transactional: values.transactional === true ? true : undefined,
        subject: str(values.subject),
        data,
      });
      if (!result.send) {
        print(`not sent: ${result.reason} (scope ${result.scope})`);
        return;
      }
      print(`Subject: ${result.subject}`);
      for (const [name, value] of Object.entries(result.headers)) print(`${name}: ${value}`);
      print('');
      print(result.text);
      const file = str(values.html);
      if (file) {
        writeFileSync(file, result.html);
        print(`HTML written to ${file}`);
      }
    },
  },
  retention: {
    summary: `retention run [--dry-run]                erase contacts past their retention period and purge old webhook logs, used links,
                                           expired sessions (the server also runs it every RETENTION_INTERVAL_MINUTES); --dry-run only counts`,
    options: { 'dry-run': { type: 'boolean' } },
    async run(deps, values, args, print) {
      if (arg(args, 0, 'subcommand') !== 'run') throw invalidInput('subcommand', 'expected run');
      const policy = retentionPolicyOf(deps.config);
      const report = await runRetention(deps.core, policy, { dryRun: values['dry-run'] === true });
      const verb = report.dryRun ? 'would remove' : 'removed';
      print(`retention ${report.dryRun ? '(dry run, nothing changed)' : 'run'}: unsubscribed-from-everything after ${policy.unsubscribedDays || 'never'} days, inactive after ${policy.inactiveDays || 'never'} days, webhook logs after ${policy.webhookDays} days`);
      print(`contacts erased (keyed-hash suppression kept): ${report.erased}${report.dryRun ? ' (would be)' : ''}`);
      for (const [kind, n] of Object.entries(report.purged)) print(`${kind}: ${verb} ${n}`);
    },
  },
};

export function usage(): string {
  return `usage: optbox <command> [options]   (reads the same environment as the server: DATABASE_PATH, …)\n\n${Object.values(commands)
    .map((c) => '  ' + c.summary)
    .join('\n')}\n`;
}

/** A ledger that fails verification: the CLI says so in one line and exits non-zero. */
export class LedgerBroken extends Error {}
