import { testConfig } from '../src/config.ts';
import { createApiKey } from '../src/core/api-keys.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { startBenchServer } from './servers.ts';
import autocannon from 'autocannon';
const rt = openRuntime(testConfig({ databasePath: '.bench/q19.db' }), { logger: createLogger('silent') });
const { key } = await createApiKey(rt.core, { name: 'q' }); rt.close();
const s = await startBenchServer('dist/src/main.js', { DATABASE_PATH: '.bench/q19.db', LOG_LEVEL: 'info', API_RATE_LIMIT: '0' });
const body = JSON.stringify({ emails: ['a@example.com'], topic: 'newsletter' });
for (const c of (process.env.CS ?? '1,32').split(',').map(Number)) for (const [name, o] of [['GET healthz', { url: s.url + '/healthz' }], ['POST check', { url: s.url + '/api/v1/suppressions/check', method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body }]] as const) { const r = await autocannon({ connections: c, duration: 2, ...(o as object), url: o.url }); console.log(c, name.padEnd(14), r.requests.average); }
await s.stop();
