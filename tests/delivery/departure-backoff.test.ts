import { strict as assert } from 'node:assert';
import { departureCapMs, nextRetry } from '../../src/domain/delivery/retry-policy.js';

const MIN = 60_000;
const H = 60 * MIN;
// A frozen clock: every figure below is relative to this instant.
const NOW = Date.UTC(2026, 11, 7, 4, 0);
const backoff = { baseMs: 1000, capMs: 300_000 };

describe('delivery: backoff capped by the time left before departure', () => {
  it('a notice departing in 30 min never waits the full 5-minute cap after a long outage', () => {
    const departure = { departureAt: NOW + 30 * MIN, fraction: 0.05, floorMs: 1000 };
    // 20 failures: the exponential term is at its 300 s cap; random 0.95 would give 285 s uncapped.
    const uncapped = nextRetry({
      now: NOW,
      failures: 20,
      deadline: NOW + 24 * H,
      retryAfterMs: null,
      backoff,
      random: () => 0.95,
    });
    assert.ok(uncapped.retry && uncapped.delayMs === 285_000, 'without the departure cap the delay is 285 s');
    const capped = nextRetry({
      now: NOW,
      failures: 20,
      deadline: NOW + 24 * H,
      retryAfterMs: null,
      backoff,
      departure,
      random: () => 0.95,
    });
    assert.deepEqual(capped, { retry: true, delayMs: 90_000, at: NOW + 90_000 }, '5 % of 30 min');
  });

  it('shrinks as departure nears, down to the floor, and leaves smaller jittered delays alone', () => {
    const at = (left: number, random = 0.99): number => {
      const d = nextRetry({
        now: NOW,
        failures: 30,
        deadline: NOW + 48 * H,
        retryAfterMs: null,
        backoff,
        departure: { departureAt: NOW + left, fraction: 0.1, floorMs: 2000 },
        random: () => random,
      });
      assert.ok(d.retry);
      return d.delayMs;
    };
    assert.equal(at(24 * H), 297_000, 'far departure: the ordinary cap rules');
    assert.equal(at(20 * MIN), 120_000);
    assert.equal(at(5 * MIN), 30_000);
    assert.equal(at(10_000), 2000, 'never below the floor');
    assert.equal(at(20 * MIN, 0.1), 30_000, 'a jittered delay below the cap is kept');
  });

  it('does not cap after departure or without one (the budget still ends retries)', () => {
    const cap = { fraction: 0.1, floorMs: 1000 };
    assert.equal(departureCapMs(NOW, { ...cap, departureAt: null }), Infinity);
    assert.equal(departureCapMs(NOW, { ...cap, departureAt: NOW }), Infinity);
    assert.equal(departureCapMs(NOW, { ...cap, departureAt: NOW - H }), Infinity);
    assert.equal(departureCapMs(NOW, { ...cap, departureAt: NOW + 100_000 }), 10_000);
  });

  it('keeps a partner Retry-After as a floor over the departure cap', () => {
    const d = nextRetry({
      now: NOW,
      failures: 20,
      deadline: NOW + 24 * H,
      retryAfterMs: 120_000,
      backoff,
      departure: { departureAt: NOW + 10 * MIN, fraction: 0.05, floorMs: 1000 },
      random: () => 0.9,
    });
    assert.ok(d.retry && d.delayMs === 120_000);
  });
});
