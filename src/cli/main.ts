import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { OptboxError } from '../core/errors.ts';
import { SecretsError } from '../core/secrets.ts';
import { createLogger } from '../logger.ts';
import { TemplateError } from '../mail/templates.ts';
import { DatabaseError, openRuntime } from '../runtime.ts';
import { commands, LedgerBroken, usage } from './commands.ts';
import { CopyError } from '../core/db-copy.ts';

/**
 * `optbox <command>`: the operator's tool. Uses the same config and database as the server
 * (DATABASE_PATH or DATABASE_URL); safe to run while the server runs (SQLite WAL and busy timeout;
 * PostgreSQL transactions).
 */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command || name === 'help' || name === '--help') {
    process.stdout.write(usage());
    return command || name === 'help' || name === '--help' ? 0 : 2;
  }
  const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  const print = (line: string) => process.stdout.write(line + '\n');
  if (command.runAlone) {
    await command.runAlone(values as Record<string, string | boolean | undefined>, positionals, print);
    return 0;
  }
  const config = loadConfig();
  const runtime = await openRuntime(config, { logger: createLogger('silent') });
  try {
    await command.run(runtime, values as Record<string, string | boolean | undefined>, positionals, print);
    return 0;
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof OptboxError || err instanceof ConfigError || err instanceof SecretsError || err instanceof DatabaseError || err instanceof CopyError || err instanceof LedgerBroken || err instanceof TemplateError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`optbox: ${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(known ? 2 : 1);
  },
);
