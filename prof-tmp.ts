import { makeTestApp } from './test/helpers/app.ts';
const t = await makeTestApp({ file: true, config: { apiRateLimit: 0, apiBodyLimit: 4 << 20 } });
for (let b = 0; b < 4; b++) {
  const body = { suppressions: Array.from({ length: 10000 }, (_, i) => ({ email: `bulk${b}-${i}@bench.example`, reason: 'bounce' })) };
  const s = performance.now();
  const res = await t.api('/api/v1/suppressions', { body });
  console.log(res.status, Math.round(performance.now() - s));
}
t.close();
