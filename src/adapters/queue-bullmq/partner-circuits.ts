/**
 * The partners' circuits and their waiting jobs in Redis, next to the delivery queue (same prefix,
 * same connection), so that every worker process shares them and a restarted gateway finds them:
 *
 *   <prefix>:<queue>:circuit:<partner>   the circuit (text the domain parses), swapped with a
 *                                        compare-and-set script: one process wins each change
 *   <prefix>:<queue>:parked:<partner>    sorted set of the partner's waiting job ids, scored by
 *                                        departure: the jobs `release` wakes
 *
 * A job is parked when it waits on an open circuit (its own failure may have opened it). Release wakes them with BullMQ's
 * `promote` (delayed → prioritized): BullMQ then serves them by their departure priority, so the
 * backlog leaves earliest departure first however the jobs were parked. The same set names the job
 * that sends the probe (`probeTurn`, `wakeFirst`): the earliest-departing one, so that it is also the
 * first delivered.
 */
import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CircuitStore, ProbeTurn } from '../../ports/circuit.js';
import { parseCircuit } from '../../domain/delivery/circuit.js';

const SWAP = `
local cur = redis.call('GET', KEYS[1])
if (cur == false and ARGV[1] == '') or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Job ids woken per round trip batch. */
const RELEASE_BATCH = 500;
/** Parked entries with departure unknown sort last (follow-ups have no departure). */
const NO_DEPARTURE = Number.MAX_SAFE_INTEGER;

export class PartnerCircuits implements CircuitStore {
  readonly #redis: Redis;
  readonly #queue: Queue;
  readonly #base: string;

  constructor(redis: Redis, queue: Queue) {
    this.#redis = redis;
    this.#queue = queue;
    this.#base = queue.toKey('');
  }

  #circuitKey(partner: string): string {
    return `${this.#base}circuit:${partner}`;
  }

  #parkedKey(partner: string): string {
    return `${this.#base}parked:${partner}`;
  }

  read(partner: string): Promise<string | null> {
    return this.#redis.get(this.#circuitKey(partner));
  }

  async swap(partner: string, expected: string | null, next: string): Promise<boolean> {
    const done = await this.#redis.eval(SWAP, 1, this.#circuitKey(partner), expected ?? '', next);
    return done === 1;
  }

  /**
   * Keep a job among its partner's waiting ones, after it was moved to `delayed`. When the circuit is
   * closed by then (a release ran between the worker's look at the circuit and this call), the job
   * wakes itself: either the release saw it in the set, or this read sees the circuit closed.
   */
  async park(partner: string, id: string, departureAt: number | null): Promise<void> {
    await this.#redis.zadd(this.#parkedKey(partner), departureAt ?? NO_DEPARTURE, id);
    if (parseCircuit(await this.read(partner)).phase === 'closed') await this.#promote(id);
  }

  /** Forget a job that finished (it may have been parked for a retry earlier). */
  async unpark(partner: string, id: string): Promise<void> {
    await this.#redis.zrem(this.#parkedKey(partner), id);
  }

  /**
   * The earliest-departing parked job of `partner` is the one to probe (see the port). Its entry is
   * looked up in the job's BullMQ state: delayed → promoted (it runs at once, its priority being the
   * highest of the partner's); waiting or running → it is on its way; finished or gone → the stale
   * entry is dropped and the next one looked at.
   */
  probeTurn(partner: string, job: { id: string; departureAt: number | null }): Promise<ProbeTurn> {
    return this.#wakeFirst(partner, job);
  }

  async wakeFirst(partner: string): Promise<boolean> {
    return (await this.#wakeFirst(partner, null)) !== 'self';
  }

  /** `self`: no parked job departs before `job` (with no job: none is parked, or none is left). */
  async #wakeFirst(partner: string, job: { id: string; departureAt: number | null } | null): Promise<ProbeTurn> {
    const key = this.#parkedKey(partner);
    const own = job ? (job.departureAt ?? NO_DEPARTURE) : Infinity;
    for (let round = 0; round < 8; round += 1) {
      const [head, score] = await this.#redis.zrange(key, '0', '0', 'WITHSCORES');
      if (head === undefined || head === job?.id || Number(score) >= own) return 'self';
      const state = await this.#queue.getJobState(head);
      if (state === 'delayed') {
        if (await this.#promote(head)) return 'woken';
        continue; // it moved meanwhile: look again
      }
      if (state === 'waiting' || state === 'prioritized' || state === 'active' || state === 'waiting-children')
        return 'pending';
      await this.#redis.zrem(key, head);
    }
    return 'self';
  }

  /** Partners with a stored circuit (closed ones included): SCAN, so never one long blocking call. */
  async partners(): Promise<string[]> {
    const prefix = this.#circuitKey('');
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 200);
      for (const k of keys) out.push(k.slice(prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return out;
  }

  /** Wake every parked job of `partner`, earliest departure first; resolves how many were delayed and woke. */
  async release(partner: string): Promise<number> {
    const key = this.#parkedKey(partner);
    let woken = 0;
    for (;;) {
      const ids = await this.#redis.zrange(key, '0', String(RELEASE_BATCH - 1));
      if (ids.length === 0) return woken;
      const results = await Promise.all(ids.map((id) => this.#promote(id)));
      woken += results.filter(Boolean).length;
      await this.#redis.zrem(key, ...ids);
    }
  }

  /** Delayed → waiting; false when the job is not delayed (running, finished, gone). */
  async #promote(id: string): Promise<boolean> {
    try {
      await new Job(this.#queue, 'deliver', {}, {}, id).promote();
      return true;
    } catch {
      return false;
    }
  }
}

/** A key prefix as a literal in a SCAN MATCH pattern. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
