/**
 * The screening index backed by the registry: built at start-up from the sealed registrants in the
 * store and kept up to date from the registry's domain events (src/domain/registry/registry-events.ts:
 * personal_data.created / altered / erased with detail.entity "registrant"), so the registry service
 * needs no knowledge of screening.
 *
 * Personal data: opening a sealed registrant needs the KEK; the names, dates of birth and document
 * numbers then live only in this process's memory (src/domain/screening/candidate-index.ts), never on disk
 * and never in a log. Only `active` registrations are screened: a suspended or ended registration
 * carries no reporting obligation, so travel found for it is no unreported travel.
 *
 * Several processes: each HTTP process holds its own index and hears only its own process's events.
 * `refresh(id)` is idempotent and `rebuild()` re-reads everything; a deployment running the registry
 * API in another process than screening calls rebuild on a timer (`startPeriodicRebuild`).
 */
import type { Logger } from 'pino';
import type { EventBus, DomainEvent } from '../../domain/audit/event-bus.js';
import { openIdentity, type SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import {
  CandidateIndex,
  type RegistrantForScreening,
  type ScreeningDocument,
} from '../../domain/screening/candidate-index.js';
import type { TravelDocument } from '../../domain/protocol/types.js';
import type { ScreeningWeights } from '../../domain/screening/config.js';
import type { RegistryRepo } from '../../ports/store/index.js';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';
import { TnxError } from '../../core/errors.js';

const PAGE = 1000;
/** What a screening request refused during the first build is told to wait, seconds. */
const RETRY_AFTER_SECONDS = 5;

/** The first build's progress: /readyz shows it, screening refuses until `ready`. */
export interface IndexProgress {
  state: 'building' | 'ready' | 'failed';
  indexed: number;
  /** Live registrants when the build started (the store's count). */
  total: number;
  /** indexed / total, 0–100, one decimal. */
  percent: number;
}
const REGISTRY_ACTIONS = new Set(['personal_data.created', 'personal_data.altered', 'personal_data.erased']);

/** Number, issuer and expiry: what the document comparison of the score reads (nothing else). */
function screeningDocument(d: TravelDocument): ScreeningDocument {
  return { number: d.number, issuingState: d.issuingState, expiresOn: d.expiresOn ?? null };
}

export function forScreening(sealed: SealedRegistrant, keys: RegistryKeys): RegistrantForScreening | null {
  if (sealed.erasedAt !== null || sealed.dek === null || sealed.status !== 'active') return null;
  const r = openIdentity(sealed, keys);
  const p = r.person;
  return {
    id: r.id,
    name: p.name,
    ...(p.nameOriginalScript ? { nameOriginalScript: p.nameOriginalScript } : {}),
    ...(p.aliases ? { aliases: p.aliases } : {}),
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    citizenships: p.citizenships,
    travelDocuments: p.travelDocuments.map(screeningDocument),
    ...(r.pastTravelDocuments ? { pastTravelDocuments: r.pastTravelDocuments.map(screeningDocument) } : {}),
  };
}

export interface RegistryIndexOptions {
  registry: RegistryRepo;
  keys: RegistryKeys;
  log: Logger;
  /** Priors of the registry frequencies (screening.weights.frequency); the defaults when absent. */
  priors?: ScreeningWeights['frequency'];
}

export class RegistryIndex {
  #index: CandidateIndex;
  readonly #opts: RegistryIndexOptions;
  #ready: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  #rebuilds: PeriodicRun<unknown> | null = null;
  #progress: IndexProgress = { state: 'building', indexed: 0, total: 0, percent: 0 };

  constructor(opts: RegistryIndexOptions) {
    this.#opts = opts;
    this.#index = new CandidateIndex(opts.priors);
  }

  /** The current index (replaced whole by `rebuild`, so a screening never sees half a rebuild). */
  get index(): CandidateIndex {
    return this.#index;
  }

  /** Resolves once the first build is done (event followers wait for it). */
  ready(): Promise<void> {
    this.#ready ??= this.#firstBuild();
    return this.#ready;
  }

  /** The first build's progress (after it, `ready` with the final counts). */
  progress(): IndexProgress {
    return { ...this.#progress };
  }

  /** Screening answers only from a complete index: during the first build it refuses, saying how far it is. */
  requireReady(): void {
    if (this.#progress.state === 'ready') return;
    throw new TnxError('screening_index_building', 'the screening index is still being built; retry later', {
      detail: { progress: this.progress(), retryAfterSeconds: RETRY_AFTER_SECONDS },
    });
  }

  async #firstBuild(): Promise<void> {
    try {
      await this.rebuild((indexed, total) => {
        this.#progress = { state: 'building', indexed, total, percent: percentOf(indexed, total) };
      });
      this.#progress = { ...this.#progress, state: 'ready', percent: 100 };
    } catch (err) {
      this.#progress = { ...this.#progress, state: 'failed' };
      throw err;
    }
  }

  /**
   * Read every live registrant into a fresh index, then swap it in. Between pages the event loop
   * gets a turn (setImmediate), so a process building a large index at start-up still answers
   * requests — /readyz with this progress among them.
   */
  async rebuild(onProgress?: (indexed: number, total: number) => void): Promise<void> {
    const next = new CandidateIndex(this.#opts.priors);
    const total = onProgress ? await this.#opts.registry.countLive() : 0;
    let after: string | null = null;
    let indexed = 0;
    onProgress?.(0, total);
    for (;;) {
      const page: SealedRegistrant[] = await this.#opts.registry.scan(after, PAGE);
      for (const sealed of page) this.#add(next, sealed);
      indexed += page.length;
      onProgress?.(indexed, Math.max(total, indexed));
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#index = next;
    this.#opts.log.info({ registrants: next.size }, 'screening index built');
  }

  /** Bring one registrant up to date with the store (created, changed, ended, erased). */
  async refresh(id: string): Promise<void> {
    await this.ready();
    const sealed = await this.#opts.registry.get(id);
    if (!sealed || !this.#add(this.#index, sealed)) this.#index.remove(id);
  }

  /** Follow the registry's domain events. Failures are logged, never thrown into the registry's request. */
  follow(events: EventBus): void {
    this.#unsubscribe?.();
    this.#unsubscribe = events.subscribe(async (batch: readonly DomainEvent[]) => {
      for (const e of batch) {
        if (!REGISTRY_ACTIONS.has(e.action) || typeof e.messageId !== 'string') continue;
        if ((e.detail as { entity?: unknown } | null | undefined)?.entity !== 'registrant') continue;
        await this.refresh(e.messageId).catch((err: unknown) =>
          this.#opts.log.error({ err, registrantId: e.messageId }, 'screening index refresh failed'),
        );
      }
    });
  }

  startPeriodicRebuild(intervalMs: number): void {
    void this.#rebuilds?.stop();
    this.#rebuilds = startPeriodic(() => this.rebuild(), {
      intervalMs,
      immediate: false,
      fallback: undefined,
      onError: (err) => this.#opts.log.error({ err }, 'screening index rebuild failed'),
    });
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    void this.#rebuilds?.stop();
    this.#rebuilds = null;
  }

  /** True when indexed; a record that cannot be opened is logged by id and left out. */
  #add(index: CandidateIndex, sealed: SealedRegistrant): boolean {
    try {
      const r = forScreening(sealed, this.#opts.keys);
      if (!r) return false;
      index.upsert(r);
      return true;
    } catch (err) {
      this.#opts.log.error({ err, registrantId: sealed.id }, 'registrant could not be opened for the screening index');
      return false;
    }
  }
}

function percentOf(indexed: number, total: number): number {
  return total === 0 ? 100 : Math.round((1000 * indexed) / total) / 10;
}
