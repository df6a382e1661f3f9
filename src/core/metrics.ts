/**
 * Prometheus metrics (prom-client), one Registry per gateway context, so two gateways in one process
 * (tests, the demo) never share counters. Labels carry state codes, message types, outcomes and route
 * templates only — never message ids, raw paths or personal data (cardinality and privacy).
 *
 * Names follow Prometheus conventions, so dashboards and alerts written for any Node service work:
 * prom-client's default metrics under their standard names (`process_*`, `nodejs_*`), durations in
 * seconds with the unit in the name, `http_request_duration_seconds` by route template and status.
 * docs/grafana/tnx-dashboard.json is built on these names (a test checks each exists here).
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
  /** Jobs ready to run now, and the age of the oldest of them, seconds (the queue's lag). */
  readonly queueWaiting: Gauge;
  readonly queueOldestWaitingSeconds: Gauge;
  /** departure − receipt time, seconds, per delivered notification. */
  readonly leadTimeSeconds: Histogram<'partner'>;
  /** Submission accepted → receipt recorded, seconds, per delivered message. */
  readonly submitToReceiptSeconds: Histogram<'partner'>;
  /** Messages arriving at the inbox: outcome = accepted | duplicate | <error code>. */
  readonly inbound: Counter<'iss' | 'outcome'>;
  /** Alerts raised: kind = failed | at_risk | directory. */
  readonly alerts: Counter<'kind'>;
  /** The network directory held (0 before the first), and whether it is past nextUpdate / expiresAt (1 or 0). */
  readonly directorySerial: Gauge;
  readonly directoryStale: Gauge;
  readonly directoryExpired: Gauge;
  /** HTTP requests served, by the route table's path template, method and status: duration, seconds. */
  readonly httpRequestSeconds: Histogram<'route' | 'method' | 'status'>;
  /** A partner's delivery circuit as this process last saw it: 0 closed, 1 half-open (probing), 2 open. */
  readonly partnerCircuit: Gauge<'partner'>;
  /** Submissions shed by admission control: reason = in_flight | latency | queue_lag. */
  readonly overloaded: Counter<'reason'>;
  /**
   * Travel reports the recovery job acted on: outcome = recovered (notifications submitted) | withheld
   * (registrant no longer active: not sent, recorded once) | <error code> (left for the next pass).
   */
  readonly travelReportRecovery: Counter<'outcome'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registry = new Registry();
    this.registry = registry;
    if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
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
    this.queueWaiting = new Gauge({
      name: 'tnx_queue_waiting',
      help: 'Delivery jobs ready to run, waiting for a worker',
      registers,
    });
    this.queueOldestWaitingSeconds = new Gauge({
      name: 'tnx_queue_oldest_waiting_seconds',
      help: 'Age of the oldest delivery job ready to run, seconds since it was enqueued (0: none waiting)',
      registers,
    });
    this.leadTimeSeconds = new Histogram({
      name: 'tnx_lead_time_seconds',
      help: 'Departure minus receipt time, seconds (negative after departure)',
      labelNames: ['partner'],
      registers,
      // -1 d, 0, 1 h, 6 h, 12 h, 1 d, 2 d, 3 d, 7 d, 14 d, 30 d: the on-time threshold sits among them.
      buckets: [-86_400, 0, 3_600, 21_600, 43_200, 86_400, 172_800, 259_200, 604_800, 1_209_600, 2_592_000],
    });
    this.submitToReceiptSeconds = new Histogram({
      name: 'tnx_submit_to_receipt_seconds',
      help: 'From the submission accepted to the partner receipt recorded, seconds',
      labelNames: ['partner'],
      registers,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3_600, 21_600, 86_400],
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
    this.httpRequestSeconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route template, method and status: duration, seconds',
      labelNames: ['route', 'method', 'status'],
      registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    this.travelReportRecovery = new Counter({
      name: 'tnx_travel_report_recovery_total',
      help: 'Travel reports the recovery job acted on, by outcome (recovered, withheld, or the error code)',
      labelNames: ['outcome'],
      registers,
    });
  }

  /** The queue gauges, from one sample of the backlog. */
  setQueueStats(s: { depth: number; waiting: number; oldestWaitingSeconds: number }): void {
    this.queueDepth.set(s.depth);
    this.queueWaiting.set(s.waiting);
    this.queueOldestWaitingSeconds.set(s.oldestWaitingSeconds);
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
