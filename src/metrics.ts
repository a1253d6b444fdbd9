import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CoreDeps } from './core/deps.ts';
import type { Store } from './db/store.ts';
import { ledgerCountsSince, ledgerLength, webhookDeliveryStates } from './core/stats.ts';

/**
 * Prometheus metrics of one running optbox, in a registry it owns (prom-client's global default
 * registry is never touched, so two runtimes in one process, as in tests, do not mix). Request
 * figures are counted as requests pass, at the cost of one map lookup and two increments; what
 * lives in the database (ledger, webhook outbox) is read when Prometheus scrapes, so the figures
 * hold across restarts and across instances sharing the database.
 */
export function createMetrics(core: CoreDeps) {
  const registry = new Registry();
  const requests = new Counter({ name: 'optbox_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'optbox_http_request_duration_seconds',
    help: 'Time from request to response headers, by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const providerEvents = new Counter({ name: 'optbox_provider_events_total', help: 'Events taken in from mail services, by provider, kind and result', labelNames: ['provider', 'kind', 'result'] as const, registers: [registry] });
  const checks = new Counter({ name: 'optbox_suppression_checks_total', help: 'Addresses checked against the suppression list', registers: [registry] });
  const hits = new Counter({ name: 'optbox_suppression_hits_total', help: 'Checked addresses that were suppressed', registers: [registry] });
  const mailto = new Counter({ name: 'optbox_inbound_mails_total', help: 'Unsubscribe mails taken in (SMTP listener and POST /hooks/inbound), by result', labelNames: ['result'] as const, registers: [registry] });

  // The ledger is append-only: counted incrementally from the last id seen, so a scrape reads
  // only the rows added since the previous one (the first scrape counts the whole chain once).
  let ledgerSeen = 0;
  const ledgerTotals = new Map<string, { action: string; source: string; n: number }>();
  // Both ledger collectors of one scrape share one read (two reads from the same `ledgerSeen`
  // would count the new rows twice).
  let refreshing: Promise<void> | undefined;
  const refreshLedger = () => (refreshing ??= readLedger().finally(() => (refreshing = undefined)));
  const readLedger = async () => {
    const { counts, last } = await ledgerCountsSince(core, ledgerSeen);
    ledgerSeen = last;
    for (const row of counts) {
      const key = `${row.action}\0${row.source}`;
      const total = ledgerTotals.get(key);
      if (total) total.n += row.n;
      else ledgerTotals.set(key, { ...row });
    }
  };
  new Counter({
    name: 'optbox_unsubscribes_total',
    help: 'Unsubscribes in the consent ledger, by source',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      await refreshLedger();
      this.reset();
      for (const t of ledgerTotals.values()) if (t.action === 'unsubscribe') this.inc({ source: t.source }, t.n);
    },
  });
  new Counter({
    name: 'optbox_consent_events_total',
    help: 'Consent ledger rows, by action and source',
    labelNames: ['action', 'source'] as const,
    registers: [registry],
    async collect() {
      await refreshLedger();
      this.reset();
      for (const t of ledgerTotals.values()) this.inc({ action: t.action, source: t.source }, t.n);
    },
  });
  new Gauge({
    name: 'optbox_ledger_length',
    help: 'Rows in the consent ledger',
    registers: [registry],
    async collect() {
      this.set(await ledgerLength(core));
    },
  });
  new Gauge({
    name: 'optbox_webhook_deliveries',
    help: 'Webhook deliveries kept, by state (pending is the outbox depth; retention purges old delivered and failed ones)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const states = await webhookDeliveryStates(core);
      for (const state of ['pending', 'delivered', 'failed']) this.set({ state }, states[state] ?? 0);
    },
  });
  new Gauge({
    name: 'optbox_webhook_outbox_depth',
    help: 'Webhook deliveries waiting to be sent',
    registers: [registry],
    async collect() {
      this.set((await webhookDeliveryStates(core)).pending ?? 0);
    },
  });

  // Children made once per label set: the per-request cost is a Map lookup.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();

  return {
    contentType: registry.contentType,
    /** One answered request; `route` is the pattern (`/u/:token`), never the path. */
    request(method: string, route: string, status: number, seconds: number): void {
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        child = { count: requests.labels(method, route, String(status)), time: latency.labels(method, route) };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
    providerEvent(provider: string, kind: string, result: string): void {
      providerEvents.inc({ provider, kind, result });
    },
    suppressionChecks(checked: number, suppressed: number): void {
      checks.inc(checked);
      if (suppressed) hits.inc(suppressed);
    },
    inboundMail(result: 'unsubscribed' | 'ignored'): void {
      mailto.inc({ result });
    },
    /** The Prometheus text exposition (format 0.0.4). */
    render(): Promise<string> {
      return registry.metrics();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Count every suppression check (API, mail hook, may-mail) where all of them pass: the store's
 * two check functions, wrapped once by the runtime that owns both the store and the metrics.
 */
export function countSuppressionChecks(store: Store, metrics: Metrics): void {
  const { checkOne, checkMany } = store.suppressions;
  store.suppressions.checkOne = async (key, topic, now) => {
    const hit = await checkOne(key, topic, now);
    metrics.suppressionChecks(1, hit ? 1 : 0);
    return hit;
  };
  store.suppressions.checkMany = async (keys, topic, now) => {
    const hits = await checkMany(keys, topic, now);
    let n = 0;
    for (const hit of hits) if (hit) n++;
    metrics.suppressionChecks(keys.length, n);
    return hits;
  };
}
