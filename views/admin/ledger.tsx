import type { LedgerVerification } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, type ConsoleViewer } from './layout.tsx';

const num = new Intl.NumberFormat('en-GB');

/** The ledger check: the same walk as `optbox ledger verify`, started by a POST (it reads the whole chain). */
export function LedgerPage(props: { viewer: ConsoleViewer; result?: LedgerVerification | undefined; ms?: number | undefined }) {
  const r = props.result;
  return (
    <ConsoleLayout title="Ledger integrity" viewer={props.viewer} current="ledger">
      <h1>Consent ledger integrity</h1>
      <section class="panel">
        <p>
          Every change of consent is a row in an append-only ledger, and every row carries the hash of the one before it. This check walks the whole chain and recomputes every hash: an
          edited, removed or reordered row breaks it at that row (GDPR art. 7(1): consent must be demonstrable).
        </p>
        <form method="post" action="/admin/ledger/verify">
          <Csrf viewer={props.viewer} />
          <button type="submit" class="primary">Check the ledger now</button>
        </form>
      </section>
      {r ? (
        <section class="panel">
          {r.ok ? (
            <p class="notice ok" role="status">The ledger is intact: {num.format(r.rows)} rows checked{props.ms !== undefined ? ` in ${(props.ms / 1000).toFixed(1)} s` : ''}. Head hash <code class="break">{r.head}</code></p>
          ) : (
            <p class="notice error" role="alert">The chain breaks at row #{r.brokenAt}: {r.problem}. {num.format(r.rows)} rows were read up to there.</p>
          )}
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
