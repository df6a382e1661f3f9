/**
 * Prometheus metrics (prom-client), one Registry per gateway context, so two gateways in one process
 * (tests, the demo) never share counters. Labels carry state codes, message types and outcomes only —
 * never message ids or personal data (cardinality and privacy).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry: Registry;
  /** Submissions accepted from national systems, by message type. */
  readonly submissions: Counter<'type'>;
  /** Finished deliveries: outcome = delivered | failed | cancelled | no_channel. */
  readonly deliveries: Counter<'partner' | 'outcome'>;
  /** Duration of each delivery attempt (HTTP round trip), seconds. */
  readonly deliveryAttemptSeconds: Histogram<'partner'>;
  /** Jobs waiting in the delivery queue (set by the delivery side). */
  readonly queueDepth: Gauge;
  /** departure − receipt time, hours, per delivered notification. */
  readonly leadTimeHours: Histogram<'partner'>;
  /** Messages arriving at the inbox: outcome = accepted | duplicate | <error code>. */
  readonly inbound: Counter<'iss' | 'outcome'>;
  /** Alerts raised: kind = failed | at_risk | directory. */
  readonly alerts: Counter<'kind'>;
  /** The network directory held (0 before the first), and whether it is past nextUpdate / expiresAt (1 or 0). */
  readonly directorySerial: Gauge;
  readonly directoryStale: Gauge;
  readonly directoryExpired: Gauge;
  /** HTTP requests served by the local API and inbox, by route pattern and status. */
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  /** A partner's delivery circuit as this process last saw it: 0 closed, 1 half-open (probing), 2 open. */
  readonly partnerCircuit: Gauge<'partner'>;
  /** Submissions shed by admission control: reason = in_flight | latency | queue_lag. */
  readonly overloaded: Counter<'reason'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registry = new Registry();
    this.registry = registry;
    if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'tnx_process_' });
    const registers = [registry];
    this.submissions = new Counter({
      name: 'tnx_submissions_total',
      help: 'Messages accepted for delivery from the national system',
      labelNames: ['type'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'tnx_deliveries_total',
      help: 'Deliveries that reached a final state',
      labelNames: ['partner', 'outcome'],
      registers,
    });
    this.deliveryAttemptSeconds = new Histogram({
      name: 'tnx_delivery_attempt_seconds',
      help: 'Duration of one delivery attempt',
      labelNames: ['partner'],
      registers,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    this.queueDepth = new Gauge({ name: 'tnx_queue_depth', help: 'Delivery jobs waiting or delayed', registers });
    this.leadTimeHours = new Histogram({
      name: 'tnx_lead_time_hours',
      help: 'Departure minus receipt time, hours (negative after departure)',
      labelNames: ['partner'],
      registers,
      buckets: [-24, 0, 1, 6, 12, 24, 48, 72, 168, 336, 720],
    });
    this.inbound = new Counter({
      name: 'tnx_inbound_total',
      help: 'Messages received on the inbox by outcome',
      labelNames: ['iss', 'outcome'],
      registers,
    });
    this.alerts = new Counter({
      name: 'tnx_alerts_total',
      help: 'Alerts raised (failed, at risk, directory)',
      labelNames: ['kind'],
      registers,
    });
    this.directorySerial = new Gauge({
      name: 'tnx_directory_serial',
      help: 'Serial of the network directory in use (0: none yet)',
      registers,
    });
    this.directoryStale = new Gauge({
      name: 'tnx_directory_stale',
      help: 'The network directory is past nextUpdate (1) or not (0)',
      registers,
    });
    this.directoryExpired = new Gauge({
      name: 'tnx_directory_expired',
      help: 'The network directory is past expiresAt (1) or not (0)',
      registers,
    });
    this.httpRequests = new Counter({
      name: 'tnx_http_requests_total',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.partnerCircuit = new Gauge({
      name: 'tnx_partner_circuit_state',
      help: "A partner's delivery circuit: 0 closed, 1 half-open, 2 open",
      labelNames: ['partner'],
      registers,
    });
    this.overloaded = new Counter({
      name: 'tnx_http_overloaded_total',
      help: 'Submissions answered 503 overloaded, by reason (in_flight, latency, queue_lag)',
      labelNames: ['reason'],
      registers,
    });
  }

  /** Exposition text for GET /metrics. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export function createMetrics(options?: { defaultMetrics?: boolean }): Metrics {
  return new Metrics(options);
}
