/**
 * The registry API's operations. Each one seals or opens through src/domain/registry and
 * persists through the store port; a change hands its audit event to the store write (port AuditWith),
 * so the two are stored together. Reads change nothing: their event goes through the event bus, and
 * reads require a purpose and publish before any plaintext leaves this module (LED 2016/680 Art 25).
 */
import { uuid7 } from '../../core/uuid7.js';
import { isoTime } from '../../core/clock.js';
import { isTnxError, TnxError } from '../../core/errors.js';
import { contentDigest } from '../../domain/registry/content-digest.js';
import { validateRegistrant } from '../../domain/registry/registrant.js';
import type { Principal } from '../../core/principal.js';
import { searchTerms, type RegistrantQuery } from '../../domain/registry/blind-index.js';
import type { Registrant } from '../../domain/registry/registrant.js';
import {
  registrantAltered,
  registrantCreated,
  registrantErased,
  registrantRead,
  registrantSearched,
  requirePurpose,
} from '../../domain/registry/registry-events.js';
import {
  openRegistrant,
  PERSONAL_FIELDS,
  resealRegistrant,
  sealRegistrant,
  shredRegistrant,
  type SealedRegistrant,
} from '../../domain/registry/sealed-registrant.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { NationalDeps } from './deps.js';

/** What the API answers about a record without reading personal data. */
export interface RegistrantSummary {
  id: string;
  externalReference: string | null;
  status: SealedRegistrant['status'];
  registrationStart: string;
  registrationEnd: string | null;
  reviewDue: string;
  reviewOverdue: boolean;
  erased: boolean;
  updatedAt: number;
}

export function summaryOf(s: SealedRegistrant): RegistrantSummary {
  return {
    id: s.id,
    externalReference: s.externalReference ?? null,
    status: s.status,
    registrationStart: s.registrationStart,
    registrationEnd: s.registrationEnd,
    reviewDue: s.reviewDue,
    reviewOverdue: s.reviewFlaggedAt !== null,
    erased: s.erasedAt !== null,
    updatedAt: s.updatedAt,
  };
}

export const SEARCH_LIMIT = 50;

async function load(deps: NationalDeps, id: string): Promise<SealedRegistrant> {
  const s = await deps.ctx.store.registry.get(id);
  if (!s) throw new TnxError('not_found', 'no such registrant');
  if (s.erasedAt !== null) throw new TnxError('registrant_erased', 'the registrant has been erased');
  return s;
}

export function withId(body: unknown, id: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TnxError('invalid_registrant', 'the body must be one registrant object', { pointer: '' });
  }
  const b = body as Record<string, unknown>;
  if (b.id !== undefined && b.id !== id)
    throw new TnxError('invalid_registrant', '/id must match the path', { pointer: '/id' });
  return { ...b, id };
}

/** The registry's own reference of a body, when it gives one (the schema checks its form). */
export function externalReferenceOf(body: unknown): string | null {
  const ref = (body as { externalReference?: unknown } | null)?.externalReference;
  return typeof ref === 'string' ? ref : null;
}

/** True when `body`, sealed onto `existing`, would store exactly what is stored (no decryption). */
export function sameContent(deps: NationalDeps, existing: SealedRegistrant, body: unknown): boolean {
  const next = validateRegistrant(withId(body, existing.id));
  return existing.contentDigest !== undefined && existing.contentDigest === contentDigest(next, deps.keys.indexKey);
}

/**
 * Create a registrant. An `externalReference` makes the create idempotent, as a client-supplied
 * message id makes a submission idempotent: the same body again (a retry after a lost answer) gets
 * the first answer with `created: false`; another body under a reference in use is
 * `idempotency_conflict` — a create never changes a record (PUT or the import does).
 */
export async function createRegistrant(
  deps: NationalDeps,
  principal: Principal,
  body: unknown,
): Promise<RegistrantSummary & { created: boolean }> {
  const { ctx } = deps;
  const ref = externalReferenceOf(body);
  if (ref !== null) {
    const existing = await ctx.store.registry.byExternalReference(ref);
    if (existing) return replayCreate(deps, existing, body);
  }
  const now = ctx.clock.now();
  const sealed = sealRegistrant(withId(body, uuid7()), deps.keys, now);
  const created = [registrantCreated(sealed.id, principal.id, now)];
  try {
    await ctx.store.registry.insert(sealed, () => created);
  } catch (err) {
    // Two creates with one reference raced: the loser answers as a retry would.
    const winner = ref !== null && isTnxError(err) && err.code === 'conflict';
    const existing = winner ? await ctx.store.registry.byExternalReference(ref) : null;
    if (existing) return replayCreate(deps, existing, body);
    throw err;
  }
  await ctx.events.announce(...created);
  return { ...summaryOf(sealed), created: true };
}

function replayCreate(
  deps: NationalDeps,
  existing: SealedRegistrant,
  body: unknown,
): RegistrantSummary & { created: boolean } {
  if (!sameContent(deps, existing, body)) {
    throw new TnxError(
      'idempotency_conflict',
      'this externalReference is already used by a registrant with other data; change it with PUT or the import',
      { pointer: '/externalReference' },
    );
  }
  return { ...summaryOf(existing), created: false };
}

export async function readRegistrant(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  purpose: unknown,
): Promise<Registrant & { summary: RegistrantSummary }> {
  const p = requirePurpose(purpose);
  const sealed = await load(deps, id);
  const registrant = openRegistrant(sealed, deps.keys);
  await deps.ctx.events.publish(registrantRead(id, principal.id, p, deps.ctx.clock.now(), PERSONAL_FIELDS));
  return { ...registrant, summary: summaryOf(sealed) };
}

/** The replace and its events are one write; followers (the screening index) are told after it. */
async function replace(
  deps: NationalDeps,
  prev: SealedRegistrant,
  next: SealedRegistrant,
  events: DomainEvent[],
): Promise<void> {
  let replaced: boolean;
  try {
    replaced = await deps.ctx.store.registry.replace(next, prev.updatedAt, () => events);
  } catch (err) {
    // A replace is an update by id: the only key it can clash on is the registry's unique reference.
    if (isTnxError(err, 'conflict'))
      throw new TnxError('conflict', 'another registrant has this externalReference', {
        pointer: '/externalReference',
        cause: err,
      });
    throw err;
  }
  if (!replaced) throw new TnxError('conflict', 'the registrant was changed meanwhile; read it again');
  await deps.ctx.events.announce(...events);
}

/** A change's time: now, but after the record's last write, so updatedAt (what replace checks) always moves. */
export function changeTime(deps: NationalDeps, prev: SealedRegistrant): number {
  return Math.max(deps.ctx.clock.now(), prev.updatedAt + 1);
}

/** Seal `content` as the registrant's new state and store it with its personal_data.altered event. */
async function alter(
  deps: NationalDeps,
  principal: Principal,
  prev: SealedRegistrant,
  content: unknown,
  now: number,
): Promise<RegistrantSummary> {
  const next = resealRegistrant(prev, content, deps.keys, now);
  await replace(deps, prev, next, [registrantAltered(prev.id, principal.id, now)]);
  return summaryOf(next);
}

/**
 * Replace the whole record (PUT semantics); the id is the path's. With `expectedUpdatedAt` (the
 * version the caller read, as the console's edit form carries it) the write is a compare-and-set on
 * it: a record changed since — by another officer, an import — is `conflict`, never overwritten.
 */
export async function updateRegistrant(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  body: unknown,
  expectedUpdatedAt?: number,
): Promise<RegistrantSummary> {
  const prev = await load(deps, id);
  if (expectedUpdatedAt !== undefined && prev.updatedAt !== expectedUpdatedAt)
    throw new TnxError('conflict', 'the registrant was changed meanwhile; read it again');
  const now = changeTime(deps, prev);
  return alter(deps, principal, prev, withId(body, id), now);
}

/** End the registration: status "ended" with an end date (default today, UTC). Data stays until retention. */
export async function endRegistration(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  body: unknown,
): Promise<RegistrantSummary> {
  const prev = await load(deps, id);
  const now = changeTime(deps, prev);
  const given = (body as { registrationEnd?: unknown } | null)?.registrationEnd;
  if (given !== undefined && (typeof given !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(given))) {
    throw new TnxError('invalid_request', 'registrationEnd must be a date YYYY-MM-DD', { pointer: '/registrationEnd' });
  }
  const registrant = openRegistrant(prev, deps.keys);
  const ended: Registrant = {
    ...registrant,
    status: 'ended',
    registrationEnd: given ?? isoTime(now).slice(0, 10),
  };
  return alter(deps, principal, prev, ended, now);
}

/** Erasure on request: crypto-shred the record and the travel reports sealed under its data key. */
export async function eraseRegistrant(
  deps: NationalDeps,
  principal: Principal,
  id: string,
): Promise<RegistrantSummary> {
  const { ctx } = deps;
  const prev = await load(deps, id);
  const now = changeTime(deps, prev);
  const tomb = shredRegistrant(prev, now);
  // Erasing the record destroys the data key the travel reports are sealed under, so the erasure and
  // its event are that write; shredding the reports' ciphertexts afterwards is the clean-up.
  const erased = [registrantErased(id, principal.id, now, 'request')];
  if (!(await ctx.store.registry.erase(tomb, () => erased)))
    throw new TnxError('registrant_erased', 'the registrant has been erased');
  await ctx.events.announce(...erased);
  await ctx.store.travelReports.shredForRegistrant(id);
  return summaryOf(tomb);
}

export interface SearchHit {
  id: string;
  status: SealedRegistrant['status'];
  name: Registrant['person']['name'];
  dateOfBirth: string;
}

/** Search criteria (GET /api/v1/registrants, checked by its query schema) and the purpose of the search. */
export interface RegistrantSearch extends RegistrantQuery {
  purpose?: string;
}

/** Search by blind indexes; the hits are candidates that staff confirm on the full record. */
export async function searchRegistrants(
  deps: NationalDeps,
  principal: Principal,
  search: RegistrantSearch,
): Promise<{ items: SearchHit[] }> {
  const q: RegistrantQuery = {};
  for (const k of ['name', 'dateOfBirth', 'documentNumber'] as const) {
    const v = search[k];
    if (v !== undefined) q[k] = v;
  }
  const purpose = requirePurpose(search.purpose);
  const terms = searchTerms(q, deps.keys.indexKey);
  if (terms.length === 0)
    throw new TnxError('invalid_request', 'give a name, dateOfBirth or documentNumber to search by', {
      pointer: 'query',
    });
  const found = await deps.ctx.store.registry.search(terms, SEARCH_LIMIT);
  await deps.ctx.events.publish(registrantSearched(q, found.length, principal.id, purpose, deps.ctx.clock.now()));
  return {
    items: found.map((s) => {
      const r = openRegistrant(s, deps.keys);
      return { id: s.id, status: s.status, name: r.person.name, dateOfBirth: r.person.dateOfBirth };
    }),
  };
}
