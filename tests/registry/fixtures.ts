/** Shared test material for the registry and travel-report tests: key files and sample registrants. */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registrant } from '../../src/domain/registry/registrant.js';
import { loadRegistryKeys, type RegistryKeys } from '../../src/domain/registry/registry-keys.js';
import { tempDir } from '../harness/tmp.js';

export function secret(): string {
  return randomBytes(32).toString('base64url');
}

/** Write a key file with mode 0600 and return its path. */
export function keyFile(dir: string, name: string, content: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, content, { mode });
  return p;
}

export function octJwks(...keys: { kid: string; k: string; retired?: boolean }[]): string {
  return JSON.stringify({
    keys: keys.map((k) => ({
      kty: 'oct',
      kid: k.kid,
      k: k.k,
      ...(k.retired ? { tnx_retired: '2026-11-01T00:00:00Z' } : {}),
    })),
  });
}

/** Fresh KEK (JWKS, one key "kek-1") and index key (raw secret) files; loaded. */
export function freshKeys(): RegistryKeys & { dir: string; kekSecret: string } {
  const dir = tempDir('tnx-registry');
  const kekSecret = secret();
  const keys = loadRegistryKeys({
    kekPath: keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: kekSecret })),
    indexKeyPath: keyFile(dir, 'index.key', `${secret()}\n`),
  });
  return { ...keys, dir, kekSecret };
}

/** A registrant whose original-script name is Cyrillic; every personal value is distinctive for scans. */
export function cyrillicRegistrant(overrides: Partial<Registrant> = {}): Registrant {
  return {
    id: randomUUID(),
    person: {
      name: { family: 'Petrov', given: ['Dmitrii', 'Ivanovich'] },
      nameOriginalScript: { family: 'Петров', given: ['Дмитрий', 'Иванович'], script: 'Cyrl' },
      aliases: [{ family: 'Petroff', given: ['Dima'] }],
      dateOfBirth: '1979-03-14',
      sex: 'M',
      citizenships: ['USA', 'RUS'],
      travelDocuments: [
        { number: 'K48213377', type: 'passport', issuingState: 'USA', expiresOn: '2031-05-01' },
        { number: 'ZX9081726', type: 'identity_card', issuingState: 'RUS' },
      ],
    },
    photoRef: 'photo:registry/8812',
    convictions: [
      {
        offenceCategory: 'child_sexual_abuse_material',
        convictedOn: '2015-06-02',
        jurisdiction: 'USA-CA',
        sentenceSummary: 'Sentenced to ninety-seven months imprisonment',
        victimMinor: true,
        registrationEndsOn: null,
      },
    ],
    registrationStart: '2016-01-10',
    registrationEnd: null,
    status: 'active',
    reviewDue: '2027-01-10',
    notes: [
      {
        text: 'Assessment: cooperative at last interview, moved house twice',
        author: 'staff-17',
        at: '2026-10-02T09:30:00Z',
      },
    ],
    ...overrides,
  };
}

/** A second registrant with Latin-only and Greek names. */
export function greekRegistrant(overrides: Partial<Registrant> = {}): Registrant {
  return {
    id: randomUUID(),
    person: {
      name: { family: 'Papadopoulos', given: ['Eleftherios'] },
      nameOriginalScript: { family: 'Παπαδόπουλος', given: ['Ελευθέριος'], script: 'Grek' },
      dateOfBirth: '1985',
      sex: 'M',
      citizenships: ['GRC'],
      travelDocuments: [{ number: 'AE1234567', type: 'passport', issuingState: 'GRC' }],
    },
    convictions: [
      {
        offenceCategory: 'online_solicitation',
        convictedOn: '2019-09-20',
        jurisdiction: 'USA-NY',
        sentenceSummary: 'Sentenced to forty months',
        victimMinor: true,
        registrationEndsOn: '2034-09-20',
      },
    ],
    registrationStart: '2020-02-01',
    registrationEnd: '2034-09-20',
    status: 'active',
    reviewDue: '2027-02-01',
    ...overrides,
  };
}

/** Every personal value of a registrant as strings, for "no plaintext in the sealed record" scans. */
export function personalStrings(r: Registrant): string[] {
  const p = r.person;
  const names = [p.name, ...(p.nameOriginalScript ? [p.nameOriginalScript] : []), ...(p.aliases ?? [])];
  return [
    ...names.flatMap((n) => [n.family, ...n.given]),
    p.dateOfBirth,
    ...p.travelDocuments.map((d) => d.number),
    ...r.convictions.map((c) => c.sentenceSummary),
    ...(r.notes ?? []).map((n) => n.text),
    ...(r.photoRef ? [r.photoRef] : []),
  ];
}
