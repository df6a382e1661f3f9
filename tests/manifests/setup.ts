/**
 * Two real gateways on loopback for the manifest workflow tests: USA screens departing flights
 * (registry configured: registry API, screening index, retention job) and GBR receives what USA
 * notifies. Both are started by startGateway from config files (tests/e2e/federation.ts), each with
 * its own SQLite file, Redis prefix and HTTP port 0-picked; delivery runs through the real queue and
 * worker. Tokens: one per role, secrets known to the tests.
 */
import { randomBytes } from 'node:crypto';
import type { Role, TnxConfigInput } from '../../src/config/schema.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { sha256Hex } from '../../src/http/auth.js';
import type { Registrant } from '../../src/domain/registry/registrant.js';
import { FAST, federation, start } from '../e2e/federation.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

export const TEST_ROLES: readonly Role[] = ['screening', 'registry', 'auditor', 'submitter', 'poc'];

export interface ScreeningWorld {
  usa: RunningGateway;
  gbr: RunningGateway;
  /** `Bearer …` for a role (same secrets on both gateways). */
  auth(role: Role): string;
  close(): Promise<void>;
}

export async function screeningWorld(extra: Partial<TnxConfigInput> = {}): Promise<ScreeningWorld> {
  const dir = tempDir('tnx-screening');
  const kekPath = keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() }));
  const indexKeyPath = keyFile(dir, 'index.key', `${secret()}\n`);
  const secrets = Object.fromEntries(
    TEST_ROLES.map((r) => [r, `${r}-${randomBytes(16).toString('base64url')}`]),
  ) as Record<Role, string>;
  const members = await federation(['USA', 'GBR'], {
    ...FAST,
    registry: { kekPath, indexKeyPath },
    auth: { tokens: TEST_ROLES.map((role) => ({ id: `${role}-1`, role, sha256: sha256Hex(secrets[role]) })) },
    screening: { retentionIntervalSeconds: 1 },
    ...extra,
  } as Partial<TnxConfigInput>);
  const gbr = await start(members.GBR);
  const usa = await start(members.USA).catch(async (err: unknown) => {
    await gbr.close();
    throw err;
  });
  return {
    usa,
    gbr,
    auth: (role) => `Bearer ${secrets[role]}`,
    async close() {
      await usa.close();
      await gbr.close();
    },
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  type: string | null;
  body: T;
  text: string;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; auth?: string; type?: string; body?: string | object } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (init.auth) headers.authorization = init.auth;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] = init.type ?? 'application/json';
  }
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: (text ? JSON.parse(text) : {}) as T, text };
}

let serial = 0;
/** A registrant body (no id) with distinctive names, date of birth and passport per call. */
export function registrantBody(
  overrides: { family?: string; given?: string[]; dateOfBirth?: string; passport?: string } = {},
): Omit<Registrant, 'id'> {
  serial += 1;
  return {
    person: {
      name: { family: overrides.family ?? 'Kowalczyk', given: overrides.given ?? ['Wojciech'] },
      dateOfBirth: overrides.dateOfBirth ?? `1971-0${1 + (serial % 9)}-1${serial % 10}`,
      sex: 'M',
      citizenships: ['USA'],
      travelDocuments: [
        {
          number: overrides.passport ?? `P${String(40_000_000 + serial * 7919)}`,
          type: 'passport',
          issuingState: 'USA',
        },
      ],
    },
    convictions: [
      {
        offenceCategory: 'child_sexual_abuse',
        convictedOn: '2012-04-02',
        jurisdiction: 'USA-NY',
        sentenceSummary: 'Sentenced to six years',
        victimMinor: true,
        registrationEndsOn: null,
      },
    ],
    registrationStart: '2018-01-10',
    registrationEnd: null,
    status: 'active',
    reviewDue: '2030-01-10',
  };
}

/** "YYYY-MM-DDTHH:MM" in New York local time, `days` days from now at `hhmm` (a time that is the same date in UTC). */
export function jfkLocal(days: number, hhmm = '10:15'): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${hhmm}`;
}
