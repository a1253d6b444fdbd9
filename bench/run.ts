import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench } from './lib.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const file of files) {
  const bench = (await import(`./${file}`)).default as Bench;
  process.stdout.write(`\n== ${bench.name} (${file})\n`);
  await bench.run();
}
