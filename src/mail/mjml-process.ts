/**
 * MJML → HTML, run in a short-lived child process. MJML pulls in ~60 MB of modules to compile
 * a handful of templates once; the server keeps only the HTML it yields, so its resident
 * memory stays small (it must stay under 200 MB with a million suppressions; see bench/foundation.bench.ts). Run as a script it reads
 * the jobs as JSON on stdin and writes the results as JSON on stdout.
 */
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MjmlJob {
  path: string;
  /** The templates folder mj-include may read below. */
  root: string;
}
export type MjmlResult =
  | { ok: true; html: string }
  | { ok: false; thrown: string }
  | { ok: false; errors: Array<{ line: number; tagName: string; message: string; formattedMessage: string }> };

const self = fileURLToPath(import.meta.url);

/** Compile every job in one child process; the results come back in the order of the jobs. */
export function compileMjml(jobs: MjmlJob[]): Promise<MjmlResult[]> {
  return new Promise((resolve, reject) => {
    // The build in dist/ is plain JavaScript; the sources need tsx.
    const args = self.endsWith('.js') ? [self] : ['--import', 'tsx', self];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`MJML compiler exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out) as MjmlResult[]);
    });
    child.stdin.end(JSON.stringify(jobs));
  });
}

async function compileAll(jobs: MjmlJob[]): Promise<MjmlResult[]> {
  const { default: mjml2html } = await import('mjml');
  const results: MjmlResult[] = [];
  for (const job of jobs) {
    try {
      const result = await mjml2html(readFileSync(job.path, 'utf8'), {
        validationLevel: 'soft',
        filePath: job.path,
        // mjml 5 ignores mj-include unless asked, and then only below the allowed roots: the
        // partials live beside the language folders, inside the same templates folder.
        ...({ ignoreIncludes: false, includePath: [realpathSync(job.root)] } as object),
      });
      results.push(
        result.errors.length
          ? { ok: false, errors: result.errors.map((e) => ({ line: e.line, tagName: e.tagName, message: e.message, formattedMessage: e.formattedMessage })) }
          : { ok: true, html: result.html },
      );
    } catch (error) {
      results.push({ ok: false, thrown: (error as Error).message });
    }
  }
  return results;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(self)) {
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (d: string) => (input += d));
  process.stdin.on('end', async () => {
    process.stdout.write(JSON.stringify(await compileAll(JSON.parse(input) as MjmlJob[])));
  });
}
