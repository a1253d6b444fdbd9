/**
 * Benchmarks are plain modules named `*.bench.ts` in this folder, each default-exporting a
 * Bench. `npm run bench` runs them all in turn; `npm run bench -- NAME…` only those whose
 * file name contains NAME. Each prints its measured figures and the ratio to a baseline that
 * it measures in the same run, on the same machine, so the ratio means something anywhere.
 */
export interface Bench {
  name: string;
  run(): Promise<void>;
}

export function print(line: string): void {
  process.stdout.write(line + '\n');
}

/** Run `fn` repeatedly for about `ms` (after a warm-up) and return operations per second. */
export async function rate(fn: () => unknown | Promise<unknown>, options: { ms?: number; warmupMs?: number; batch?: number } = {}): Promise<number> {
  const { ms = 2000, warmupMs = 300, batch = 1 } = options;
  const until = (deadline: number) => performance.now() < deadline;
  for (const end = performance.now() + warmupMs; until(end); ) await fn();
  let ops = 0;
  const start = performance.now();
  for (const end = start + ms; until(end); ops += batch) await fn();
  return ops / ((performance.now() - start) / 1000);
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const ratio = (a: number, b: number) => (a / b).toFixed(2);
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
