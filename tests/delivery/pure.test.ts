import { strict as assert } from 'node:assert';
import { tnxError } from '../../src/core/errors.js';
import {
  classifyError,
  classifyStatus,
  NetworkError,
  parseRetryAfter,
} from '../../src/domain/delivery/failure-classes.js';
import { checkEndpoint } from '../../src/features/delivery/http-client.js';
import { isLoopbackHost } from '../../src/domain/directory/network.js';
import { TokenBucket } from '../../src/features/delivery/partner-limits.js';
import {
  deliveryPriority,
  PRIORITY_BUCKET_MS,
  PRIORITY_EPOCH,
  PRIORITY_MAX,
} from '../../src/domain/delivery/priority.js';
import { fullJitterDelay, nextRetry, retryDeadline } from '../../src/domain/delivery/retry-policy.js';
import { classifyLeadTime } from '../../src/features/delivery/timeliness.js';

const H = 3_600_000;
const backoff = { baseMs: 1000, capMs: 60_000 };

describe('delivery: retry policy (full jitter, budget)', () => {
  it('draws uniformly in [0, min(cap, base·2^(n−1))]', () => {
    assert.equal(
      fullJitterDelay(1, backoff, () => 0),
      0,
    );
    assert.equal(
      fullJitterDelay(1, backoff, () => 0.5),
      500,
    );
    assert.equal(
      fullJitterDelay(2, backoff, () => 0.5),
      1000,
    );
    assert.equal(
      fullJitterDelay(4, backoff, () => 0.999),
      7992,
    );
    assert.equal(
      fullJitterDelay(7, backoff, () => 0.5),
      30_000,
      'base·2^6 = 64 s is capped to 60 s',
    );
    assert.equal(
      fullJitterDelay(10_000, backoff, () => 0.5),
      30_000,
      'huge attempt counts stay finite',
    );
  });

  it('ends the budget at departure + retryUntilAfterDepartureHours (or the message age limit)', () => {
    const s = { retryUntilAfterDepartureHours: 24, maxMessageAgeSeconds: 14 * 24 * 3600 };
    assert.equal(retryDeadline({ departureAt: 100 * H, createdAt: 0 }, s), 124 * H);
    assert.equal(
      retryDeadline({ departureAt: 1000 * H, createdAt: 0 }, s),
      14 * 24 * H,
      'capped by what the receiver accepts',
    );
    assert.equal(retryDeadline({ departureAt: null, createdAt: 5 }, s), 5 + 14 * 24 * H);
  });

  it('retries inside the budget, pulls the last retry in to the deadline, and gives up after it', () => {
    const base = { failures: 3, retryAfterMs: null, backoff, random: () => 0.5 };
    assert.deepEqual(nextRetry({ ...base, now: 0, deadline: 10 * H }), { retry: true, delayMs: 2000, at: 2000 });
    assert.deepEqual(nextRetry({ ...base, now: 0, deadline: 1500 }), { retry: true, delayMs: 1500, at: 1500 });
    assert.deepEqual(nextRetry({ ...base, now: 1500, deadline: 1500 }), {
      retry: false,
      reason: 'retry_budget_exhausted',
    });
  });

  it('treats Retry-After as a floor, capped', () => {
    const base = { now: 0, deadline: 10 * H, failures: 1, backoff, random: () => 0.5 };
    assert.deepEqual(nextRetry({ ...base, retryAfterMs: 20_000 }), { retry: true, delayMs: 20_000, at: 20_000 });
    const capped = nextRetry({ ...base, retryAfterMs: 3_600_000 });
    assert.ok(capped.retry && capped.delayMs === 60_000);
    const floorBelow = nextRetry({ ...base, retryAfterMs: 10 });
    assert.ok(floorBelow.retry && floorBelow.delayMs === 500, 'jitter wins when larger');
  });
});

describe('delivery: failure classes', () => {
  const now = Date.UTC(2026, 10, 27, 12);
  it('retries 408, 429, 5xx; fails other 4xx and unexpected statuses', () => {
    for (const s of [408, 429, 500, 502, 503, 504, 599])
      assert.equal(classifyStatus(s, {}, now).class, 'transient', String(s));
    for (const s of [400, 401, 403, 404, 409, 413, 415, 422, 301, 302, 204, 201])
      assert.equal(classifyStatus(s, {}, now).class, 'permanent', String(s));
    assert.equal(classifyStatus(400, {}, now).reason, 'http_400');
  });

  it('honours a sane Retry-After on 429/503 only', () => {
    assert.equal(classifyStatus(429, { 'retry-after': '7' }, now).retryAfterMs, 7000);
    assert.equal(
      classifyStatus(503, { 'retry-after': new Date(now + 30_000).toUTCString() }, now).retryAfterMs,
      30_000,
    );
    assert.equal(classifyStatus(500, { 'retry-after': '7' }, now).retryAfterMs, null);
    assert.equal(parseRetryAfter('999999', now), null, 'beyond a day is not sane');
    assert.equal(parseRetryAfter('-1', now), null);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(new Date(now - 5000).toUTCString(), now), 0, 'a date in the past means now');
  });

  it('classifies thrown errors: network → transient, receipt problems → permanent, unknown → transient', () => {
    assert.deepEqual(classifyError(new NetworkError('ECONNREFUSED')), {
      class: 'transient',
      reason: 'ECONNREFUSED',
      httpStatus: null,
      retryAfterMs: null,
    });
    assert.equal(classifyError(new NetworkError('timeout')).class, 'transient');
    assert.equal(classifyError(tnxError('receipt_invalid')).class, 'permanent');
    assert.equal(classifyError(tnxError('receipt_mismatch')).class, 'permanent');
    assert.equal(classifyError(tnxError('config_invalid')).class, 'permanent');
    assert.equal(classifyError(tnxError('store_unavailable')).class, 'transient');
    assert.deepEqual(classifyError(new TypeError('bug')), {
      class: 'transient',
      reason: 'internal_error',
      httpStatus: null,
      retryAfterMs: null,
    });
  });
});

describe('delivery: departure priority', () => {
  it('maps earlier departures to smaller (earlier) priorities within BullMQ range', () => {
    const t = Date.UTC(2026, 11, 1);
    assert.ok(deliveryPriority(t) < deliveryPriority(t + PRIORITY_BUCKET_MS));
    assert.ok(deliveryPriority(t + H) < deliveryPriority(t + 2 * H));
    assert.equal(deliveryPriority(PRIORITY_EPOCH - 10 * H), 1, 'departed before the epoch: most urgent');
    assert.equal(deliveryPriority(PRIORITY_EPOCH + 30 * 365 * 24 * H), PRIORITY_MAX, 'clamped at 2^21−1');
    assert.equal(deliveryPriority(null), PRIORITY_MAX, 'follow-ups last');
    assert.equal(PRIORITY_MAX, 2_097_151);
  });
});

describe('delivery: timeliness', () => {
  it('on_time ≥ threshold, late before departure, after_departure otherwise', () => {
    assert.deepEqual(classifyLeadTime(100 * H, 76 * H, 24), { leadTimeSeconds: 24 * 3600, timeliness: 'on_time' });
    assert.deepEqual(classifyLeadTime(100 * H, 76 * H + 1000, 24), {
      leadTimeSeconds: 24 * 3600 - 1,
      timeliness: 'late',
    });
    assert.deepEqual(classifyLeadTime(100 * H, 100 * H, 24), { leadTimeSeconds: 0, timeliness: 'after_departure' });
    assert.deepEqual(classifyLeadTime(100 * H, 102 * H, 24), { leadTimeSeconds: -7200, timeliness: 'after_departure' });
    assert.deepEqual(classifyLeadTime(null, 5, 24), { leadTimeSeconds: null, timeliness: null });
  });

  it('keeps the milliseconds, as the receiver does (no rounding to whole seconds)', () => {
    assert.equal(classifyLeadTime(100 * H, 76 * H + 1_250, 24).leadTimeSeconds, 24 * 3600 - 1.25);
    assert.equal(classifyLeadTime(100 * H, 100 * H + 499, 24).leadTimeSeconds, -0.499);
  });
});

describe('delivery: partner limits and endpoints', () => {
  it('token bucket: burst of one second, then the configured rate', () => {
    let t = 0;
    const b = new TokenBucket(4, () => t);
    for (let i = 0; i < 4; i += 1) assert.equal(b.tryTake(), 0);
    assert.equal(b.tryTake(), 250);
    t += 250;
    assert.equal(b.tryTake(), 0);
    assert.ok(b.tryTake() > 0);
    const slow = new TokenBucket(0.5, () => t);
    assert.equal(slow.tryTake(), 0);
    assert.equal(slow.tryTake(), 2000, 'sub-1/s rates still get a burst of one');
  });

  it('allows plain http only to loopback; refuses credentials and bad URLs with config_invalid', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', '128.0.0.1', 'example.org', '[::2]', '127.0.0.1.nip.io'])
      assert.ok(!isLoopbackHost(h), h);
    assert.equal(checkEndpoint('https://gbr.example/tnx/v1/messages', 'x').host, 'gbr.example');
    assert.equal(checkEndpoint('http://127.0.0.1:8080/tnx/v1/messages', 'x').port, '8080');
    for (const bad of ['http://gbr.example/tnx', 'ftp://127.0.0.1/', 'https://u:p@gbr.example/', 'not a url']) {
      assert.throws(
        () => checkEndpoint(bad, 'directory/partners/GBR/endpoint'),
        (e: { code?: string; message: string }) =>
          e.code === 'config_invalid' && e.message.includes('directory/partners/GBR/endpoint'),
      );
    }
  });
});
