/**
 * Admission control for submissions: shed load at the door instead of letting every client time out.
 *
 * Two bounds, either of which refuses a submission at once (503 `overloaded`, Retry-After):
 *   - submissions in flight in this process (`http.maxInFlightSubmissions`): past it, more concurrent
 *     work only lengthens every answer (and starves the event loop that health probes need);
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

export type OverloadReason = 'in_flight' | 'queue_lag';

export type Entry = { ok: true; leave: () => void } | { ok: false; reason: OverloadReason };

export interface AdmissionSettings {
  maxInFlight: number;
  maxQueueReady: number;
}

export class Admission {
  #inFlight = 0;
  #ready = 0;
  #sampler: PeriodicRun<void> | null = null;
  constructor(readonly settings: AdmissionSettings) {}

  /** Submissions being handled now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Enter, or be refused with the bound that is exceeded. `leave` must be called once, when answered. */
  enter(): Entry {
    if (this.#ready > this.settings.maxQueueReady) return { ok: false, reason: 'queue_lag' };
    if (this.#inFlight >= this.settings.maxInFlight) return { ok: false, reason: 'in_flight' };
    this.#inFlight += 1;
    let left = false;
    return {
      ok: true,
      leave: () => {
        if (left) return;
        left = true;
        this.#inFlight -= 1;
      },
    };
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
