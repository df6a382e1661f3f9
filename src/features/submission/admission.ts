/**
 * Admission control for submissions: shed load at the door instead of letting every client time out.
 *
 * Three bounds, any of which refuses a submission at once (503 `overloaded`, Retry-After):
 *   - submissions in flight in this process (`http.maxInFlightSubmissions`): past it, more concurrent
 *     work only lengthens every answer (and starves the event loop that health probes need);
 *   - the age of the oldest submission still in flight (`http.maxSubmissionAgeMs`): a count alone does
 *     not know how fast the process is (a busy or starved CPU serves 128 submissions in seconds); when
 *     the oldest one has waited that long, this process is behind and a new one would only wait too;
 *   - delivery jobs ready to run (`http.maxQueueReady`): the workers are that far behind, and what is
 *     accepted now would only wait. Sampled every `http.queueSampleMs`, never asked per request, so
 *     refusing costs no round trip. With the queue unreachable the sample fails and this bound is
 *     lifted (the outbox carries submissions then; the in-flight bound still holds).
 *
 * Only submissions are counted: health and readiness probes, reads and the inbox are never refused
 * here. The check runs before authentication and body parsing, so a refusal costs next to nothing and
 * stores nothing.
 */
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';

export type OverloadReason = 'in_flight' | 'latency' | 'queue_lag';

export type Entry = { ok: true; leave: () => void } | { ok: false; reason: OverloadReason };

export interface AdmissionSettings {
  maxInFlight: number;
  maxQueueReady: number;
  /** Oldest in-flight submission, ms, beyond which new ones are refused (absent: no such bound). */
  maxAgeMs?: number;
}

export class Admission {
  #ready = 0;
  #seq = 0;
  /** Start times (performance.now()) of the submissions in flight, oldest first (a Map keeps insertion order). */
  readonly #started = new Map<number, number>();
  #sampler: PeriodicRun<void> | null = null;
  constructor(readonly settings: AdmissionSettings) {}

  /** Submissions being handled now. */
  get inFlight(): number {
    return this.#started.size;
  }

  /** Enter, or be refused with the bound that is exceeded. `leave` must be called once, when answered. */
  enter(): Entry {
    if (this.#ready > this.settings.maxQueueReady) return { ok: false, reason: 'queue_lag' };
    if (this.#started.size >= this.settings.maxInFlight) return { ok: false, reason: 'in_flight' };
    const now = performance.now();
    const { maxAgeMs } = this.settings;
    if (maxAgeMs !== undefined)
      for (const startedAt of this.#started.values()) {
        if (now - startedAt > maxAgeMs) return { ok: false, reason: 'latency' };
        break; // the first entry is the oldest
      }
    const key = (this.#seq += 1);
    this.#started.set(key, now);
    return { ok: true, leave: () => void this.#started.delete(key) };
  }

  /** Record a sample of the ready delivery jobs (tests set it directly; the sampler calls it). */
  sampled(ready: number): void {
    this.#ready = ready;
  }

  /** Sample `ready()` every `intervalMs` until stop(); a failed sample lifts the queue bound. */
  sample(ready: () => Promise<number>, intervalMs: number): void {
    this.#sampler ??= startPeriodic(async () => this.sampled(await ready()), {
      intervalMs,
      fallback: undefined,
      onError: () => this.sampled(0),
    });
  }

  async stop(): Promise<void> {
    await this.#sampler?.stop();
    this.#sampler = null;
  }
}
