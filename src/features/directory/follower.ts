/**
 * The network-directory follower: keeps this gateway's partner list in step with the coordinator's
 * signed directory (protocol/SPEC.md §14), so a state joining, a key rotated or an endpoint moved
 * reaches every gateway without a hand edit or a restart.
 *
 * Each pass fetches the directory URL with If-None-Match, verifies what came back against the trust
 * anchors (never a key from the document), refuses anything not strictly newer, expired or otherwise
 * bad — keeping the last good directory in use — and otherwise swaps the new partner list into the
 * running Directory in one step, writes the document to the state file (temp file + rename: a crash
 * leaves the old copy or the new one, never half) and publishes one `directory.applied` audit event
 * saying what changed. At start-up the last good copy on disk is loaded first, so a gateway whose
 * coordinator is unreachable still starts with the directory it last trusted.
 *
 * `status()` is what /readyz and alerting read: the serial held, when the coordinator last answered,
 * whether the directory is past `nextUpdate` (stale: still used, alert) or past `expiresAt` (expired:
 * nothing is sealed, receiving continues with keys still inside their own validity — §14.6).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { isTnxError, TnxError, type ErrorCode } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { Directory } from '../../domain/directory/directory.js';
import type { PartnerLimits } from '../../domain/directory/partner.js';
import type { StateCode } from '../../domain/protocol/types.js';
import type { Jwks } from '../../domain/keys/jwk.js';
import {
  DIRECTORY_MAX_BYTES,
  directoryTimes,
  isLoopbackHost,
  type NetworkDirectory,
} from '../../domain/directory/network.js';
import { checkAnchors, verifyNetworkDirectory } from '../../domain/directory/network-jws.js';
import { diffDirectories, type DirectoryDiff } from '../../domain/directory/network-diff.js';
import { ownKeysMissing, partnersFromDirectory } from '../../domain/directory/network-partners.js';
import type { NetworkDirectoryStatus as FollowerStatus, NetworkDirectoryView } from '../../ports/network-directory.js';

export interface FollowerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FollowerOptions {
  /** The coordinator's directory URL: https:, or http: on loopback only. */
  url: string;
  /** The network name the documents must carry. */
  network: string;
  /** The coordinator's public signing keys (JWKS); several during the coordinator's own rollover. */
  anchors: Jwks;
  /** Our state: its entry is not a partner, and our own kids are checked against it. */
  self: StateCode;
  /** Where the last good signed document is kept (a file the gateway may write). */
  statePath: string;
  directory: Directory;
  clock: Clock;
  events: { publish(...events: DomainEvent[]): Promise<void> };
  /** Delivery limits for partners (local policy, not the coordinator's). */
  limits: PartnerLimits;
  limitsFor?: (state: StateCode) => PartnerLimits | undefined;
  /** Our own current kids, to report keys the directory does not (yet) list for us. */
  ownKids?: () => readonly string[];
  /** Between passes; default 15 minutes. */
  intervalMs?: number;
  /** Whole request, default 10 s. */
  timeoutMs?: number;
  maxBytes?: number;
  log?: FollowerLog;
}

export type { NetworkDirectoryStatus as FollowerStatus } from '../../ports/network-directory.js';

export type RefreshOutcome = 'applied' | 'unchanged' | 'refused' | 'unavailable';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** An audit detail holds references only and is bounded; long lists become counts. */
const MAX_DETAIL_LIST = 40;

function auditDetail(diff: DirectoryDiff, kid: string): Record<string, unknown> {
  const keys = (ks: { state: string; kid: string }[]) => ks.map((k) => `${k.state}:${k.kid}`);
  const lists: Record<string, string[]> = {
    statesAdded: diff.statesAdded,
    statesRemoved: diff.statesRemoved,
    keysAdded: keys(diff.keysAdded),
    keysRetired: keys(diff.keysRetired),
    keysRevoked: keys(diff.keysRevoked),
    endpointChanged: diff.endpointChanged,
    contactChanged: diff.contactChanged,
    detailsChanged: diff.detailsChanged,
  };
  const detail: Record<string, unknown> = { serial: diff.toSerial, previousSerial: diff.fromSerial, signedBy: kid };
  for (const [k, v] of Object.entries(lists)) {
    if (v.length === 0) continue;
    detail[k] = v.length > MAX_DETAIL_LIST ? { count: v.length } : v;
  }
  return detail;
}

function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644, flag: 'wx' });
  renameSync(tmp, path);
}

export class DirectoryFollower implements NetworkDirectoryView {
  readonly #o: FollowerOptions;
  readonly #url: URL;
  readonly #anchors: Jwks;
  #doc: NetworkDirectory | null = null;
  #raw: string | null = null;
  #etag: string | null = null;
  #source: FollowerStatus['source'] = 'none';
  #lastAttempt: number | null = null;
  #lastSuccess: number | null = null;
  #lastChange: number | null = null;
  #lastError: FollowerStatus['lastError'] = null;
  #failures = 0;
  #refusedDigest: string | null = null;
  #announced = { stale: -1, expired: -1 };
  #run: PeriodicRun<RefreshOutcome> | null = null;

  constructor(options: FollowerOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (cause) {
      throw new TnxError('config_invalid', 'directory URL is not a URL', { pointer: 'directory/url', cause });
    }
    // The document is signed, but the channel still hides who follows which network from the path.
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))))
      throw new TnxError('config_invalid', 'directory URL must be https: (http: only on loopback)', {
        pointer: 'directory/url',
      });
    this.#url = url;
    this.#anchors = checkAnchors(options.anchors);
    this.#o = options;
  }

  /**
   * Load the last good copy from disk (if any), then run one pass now and one every interval. The
   * returned promise settles after the first pass; a coordinator that is down does not stop start-up.
   */
  async start(): Promise<RefreshOutcome> {
    await this.loadLastGood();
    this.#run = startPeriodic(() => this.refresh(), {
      intervalMs: this.#o.intervalMs ?? 15 * 60_000,
      fallback: 'unavailable',
      onError: (err) => this.#o.log?.warn({ err }, 'directory follower pass failed'),
    });
    return this.#run.firstPass;
  }

  async stop(): Promise<void> {
    await this.#run?.stop();
    this.#run = null;
  }

  /** Load the state file, if there is one. A copy that no longer verifies is ignored, not trusted. */
  async loadLastGood(): Promise<boolean> {
    if (!existsSync(this.#o.statePath)) return false;
    try {
      const raw = readFileSync(this.#o.statePath, 'utf8');
      const { document, kid } = await verifyNetworkDirectory(raw, {
        anchors: this.#anchors,
        now: this.#o.clock.now(),
        network: this.#o.network,
        allowExpired: true,
        ...(this.#o.maxBytes !== undefined ? { maxBytes: this.#o.maxBytes } : {}),
        ...(this.#doc ? { minSerial: this.#doc.serial } : {}),
      });
      await this.#apply(document, raw, kid, 'disk');
      return true;
    } catch (err) {
      this.#o.log?.warn({ err, path: this.#o.statePath }, 'last good network directory on disk not used');
      this.#fail(err);
      return false;
    }
  }

  /** One pass: fetch, verify, apply. Never throws; the outcome and status say what happened. */
  async refresh(): Promise<RefreshOutcome> {
    const now = this.#o.clock.now();
    this.#lastAttempt = now;
    let fetched: { status: 200; body: string; etag: string | null } | { status: 304 };
    try {
      fetched = await this.#fetch();
    } catch (err) {
      this.#fail(err);
      // An oversized document did arrive: that is a refusal of what the coordinator serves, not an outage.
      if (isTnxError(err, 'directory_too_large')) {
        await this.#refused(err, '');
        await this.#announce();
        return 'refused';
      }
      this.#o.log?.warn({ code: isTnxError(err) ? err.code : 'internal_error' }, 'network directory not fetched');
      await this.#announce();
      return 'unavailable';
    }
    if (fetched.status === 304 || fetched.body === this.#raw) {
      this.#ok();
      if (fetched.status === 200) this.#etag = fetched.etag;
      await this.#announce();
      return 'unchanged';
    }
    try {
      const { document, kid } = await verifyNetworkDirectory(fetched.body, {
        anchors: this.#anchors,
        now,
        network: this.#o.network,
        ...(this.#o.maxBytes !== undefined ? { maxBytes: this.#o.maxBytes } : {}),
        ...(this.#doc ? { minSerial: this.#doc.serial } : {}),
      });
      await this.#apply(document, fetched.body, kid, 'network');
      this.#etag = fetched.etag;
      this.#ok();
      this.#refusedDigest = null;
      await this.#announce();
      return 'applied';
    } catch (err) {
      this.#fail(err);
      await this.#refused(err, fetched.body);
      await this.#announce();
      return 'refused';
    }
  }

  status(): FollowerStatus {
    const now = this.#o.clock.now();
    const t = this.#doc ? directoryTimes(this.#doc) : null;
    const stale = t !== null && now >= t.nextUpdate;
    const expired = t !== null && now >= t.expiresAt;
    const missing = this.#doc && this.#o.ownKids ? ownKeysMissing(this.#doc, this.#o.self, this.#o.ownKids()) : [];
    return {
      loaded: this.#doc !== null,
      serial: this.#doc?.serial ?? null,
      issuedAt: this.#doc?.issuedAt ?? null,
      nextUpdate: this.#doc?.nextUpdate ?? null,
      expiresAt: this.#doc?.expiresAt ?? null,
      source: this.#source,
      lastAttemptAt: iso(this.#lastAttempt),
      lastSuccessAt: iso(this.#lastSuccess),
      lastChangeAt: iso(this.#lastChange),
      lastError: this.#lastError,
      consecutiveFailures: this.#failures,
      stale,
      expired,
      ownKeysMissing: missing,
      healthy: this.#doc !== null && !stale && !expired && missing.length === 0,
    };
  }

  /** The document held, for the directory API and `tnx` output. */
  current(): NetworkDirectory | null {
    return this.#doc;
  }

  /** The signed document held, byte for byte, so any gateway can republish it (GET /tnx/v1/directory). */
  signed(): string | null {
    return this.#raw;
  }

  async #fetch(): Promise<{ status: 200; body: string; etag: string | null } | { status: 304 }> {
    const headers: Record<string, string> = { accept: 'application/jose' };
    if (this.#etag && this.#raw) headers['if-none-match'] = this.#etag;
    let res: Response;
    try {
      res = await fetch(this.#url, {
        headers,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new TnxError('directory_unavailable', 'the coordinator did not answer', { cause });
    }
    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 304 };
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new TnxError('directory_unavailable', `the coordinator answered HTTP ${res.status}`, {
        detail: { httpStatus: res.status },
      });
    }
    const body = await this.#readBounded(res);
    return { status: 200, body, etag: res.headers.get('etag') };
  }

  /** Read at most maxBytes; a larger body is refused without reading it all (it may never end). */
  async #readBounded(res: Response): Promise<string> {
    const max = this.#o.maxBytes ?? DIRECTORY_MAX_BYTES;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const tooLarge = () =>
      new TnxError('directory_too_large', `the directory is larger than ${max} bytes`, { detail: { limit: max } });
    if (declared > max) {
      await res.body?.cancel();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (!res.body) return '';
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel();
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (err) {
      if (isTnxError(err)) throw err;
      // A connection cut mid-body: the document is truncated, which verification would refuse anyway.
      throw new TnxError('directory_unavailable', 'the directory download was interrupted', { cause: err });
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async #apply(document: NetworkDirectory, raw: string, kid: string, source: 'disk' | 'network'): Promise<void> {
    const diff = diffDirectories(this.#doc, document);
    // Swap first: if the partner list cannot be built, nothing else changes and the old one stays.
    this.#o.directory.replace(
      partnersFromDirectory(document, {
        self: this.#o.self,
        limits: this.#o.limits,
        ...(this.#o.limitsFor ? { limitsFor: this.#o.limitsFor } : {}),
      }),
      { serial: document.serial, expiresAt: directoryTimes(document).expiresAt },
    );
    if (source === 'network') writeAtomically(this.#o.statePath, raw);
    this.#doc = document;
    this.#raw = raw;
    this.#source = source;
    this.#lastChange = this.#o.clock.now();
    await this.#o.events.publish({
      action: 'directory.applied',
      actor: 'system',
      at: this.#o.clock.now(),
      outcome: source === 'disk' ? 'restored' : 'applied',
      detail: auditDetail(diff, kid),
    });
    this.#o.log?.info({ serial: document.serial, source }, 'network directory applied');
  }

  #ok(): void {
    this.#lastSuccess = this.#o.clock.now();
    this.#lastError = null;
    this.#failures = 0;
  }

  #fail(err: unknown): void {
    const code: ErrorCode = isTnxError(err) ? err.code : 'internal_error';
    const message = isTnxError(err) ? err.message : 'unexpected error';
    this.#lastError = { code, message, at: new Date(this.#o.clock.now()).toISOString() };
    this.#failures++;
  }

  /** One audit event per distinct refused document: a coordinator serving the same bad bytes is not news. */
  async #refused(err: unknown, body: string): Promise<void> {
    const code = isTnxError(err) ? err.code : 'internal_error';
    const digest = `${code}:${createHash('sha256').update(body).digest('base64url')}`;
    this.#o.log?.warn({ code }, 'network directory refused; the last good one stays in use');
    if (digest === this.#refusedDigest) return;
    this.#refusedDigest = digest;
    const serial = isTnxError(err) && typeof err.detail?.serial === 'number' ? err.detail.serial : null;
    await this.#o.events.publish({
      action: 'directory.refused',
      actor: 'system',
      at: this.#o.clock.now(),
      outcome: code,
      detail: {
        serial,
        held: this.#doc?.serial ?? null,
        reason: isTnxError(err) ? (err.detail?.reason ?? null) : null,
      },
    });
  }

  /** Stale and expired are announced once per issue, so an alert fires once and not every pass. */
  async #announce(): Promise<void> {
    if (!this.#doc) return;
    const s = this.status();
    const serial = this.#doc.serial;
    for (const kind of ['stale', 'expired'] as const) {
      if (!s[kind] || this.#announced[kind] === serial) continue;
      this.#announced[kind] = serial;
      this.#o.log?.warn({ serial }, `network directory ${kind}`);
      await this.#o.events.publish({
        action: `directory.${kind}`,
        actor: 'system',
        at: this.#o.clock.now(),
        outcome: kind,
        detail: { serial, nextUpdate: this.#doc.nextUpdate, expiresAt: this.#doc.expiresAt },
      });
    }
  }
}
