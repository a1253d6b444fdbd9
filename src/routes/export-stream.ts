import type { Context } from 'hono';
import { stream } from 'hono/streaming';

/**
 * Send an export (CSV or NDJSON chunks) as a download, streamed. The first chunk is read before
 * the answer starts, so a bad filter fails with its own error instead of a cut-off 200; a client
 * that goes away stops the reading.
 */
export async function sendExport(c: Context, rows: AsyncGenerator<string>, format: 'csv' | 'ndjson'): Promise<Response> {
  const first = await rows.next();
  c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
  c.header('Content-Disposition', `attachment; filename="suppressions.${format}"`);
  c.header('Cache-Control', 'no-store');
  return stream(c, async (out) => {
    let aborted = false;
    out.onAbort(() => {
      aborted = true;
    });
    if (!first.done) await out.write(first.value);
    for await (const chunk of rows) {
      if (aborted) break;
      await out.write(chunk);
    }
  });
}
