import { strict as assert } from 'node:assert';
import { chainHash } from '../../src/domain/audit/chain.js';
import { signCheckpoint } from '../../src/features/audit-trail/checkpoint.js';
import { exportLines, type ExportSelection, type ExportSummary } from '../../src/features/audit-trail/export.js';
import { verifyExport } from '../../src/features/audit-trail/verify-export.js';
import { auditJwksOf } from '../../src/features/audit-trail/audit-jwks.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { auditFixture, seed, type AuditFixture } from './helpers.js';

type Line = Record<string, unknown>;

describe('audit export and offline verification', () => {
  let f: AuditFixture;

  before(async () => {
    f = await auditFixture('audit-export');
    await seed(f, 40, { batch: 5, sealEvery: 10 }); // checkpoints at 11, 22, 33, 44
    await seed(f, 3, { batch: 3 }); // unsealed tail: 45..47
  });
  after(async () => {
    await f.store.close();
  });

  async function exported(selection: ExportSelection, summary?: ExportSummary): Promise<string[]> {
    const lines: string[] = [];
    for await (const l of exportLines(
      f.store.audit,
      { selection, jwks: f.jwks, state: 'XAA', now: f.clock.now(), batchSize: 4 },
      summary,
    ))
      lines.push(l);
    return lines;
  }

  function edit(lines: string[], seq: number, change: (l: Line) => void): string[] {
    return lines.map((text) => {
      const l = JSON.parse(text) as Line;
      if (l.type !== 'event' || l.seq !== seq) return text;
      change(l);
      return JSON.stringify(l);
    });
  }

  it('exports a seq range extended to the covering checkpoint, and verifies offline', async () => {
    assert.deepEqual(
      (await f.store.audit.listCheckpoints()).map((c) => c.seq),
      [11, 22, 33, 44],
    );
    const summary: ExportSummary = { fromSeq: 0, toSeq: 0, events: 0, checkpoints: 0 };
    const lines = await exported({ fromSeq: 5, toSeq: 25 }, summary);
    const header = JSON.parse(lines[0]!) as Line;
    assert.equal(header.format, 'tnx-audit-export/2');
    assert.deepEqual([header.fromSeq, header.toSeq], [5, 33]);
    assert.deepEqual(header.selection, { fromSeq: 5, toSeq: 25 });
    assert.deepEqual(header.jwks, f.jwks);
    const types = lines.slice(1).map((l) => (JSON.parse(l) as Line).type);
    assert.deepEqual(types, [...Array(3).fill('checkpoint'), ...Array(29).fill('event')]);
    assert.deepEqual(summary, { fromSeq: 5, toSeq: 33, events: 29, checkpoints: 3 });

    const r = await verifyExport(lines, f.jwks);
    assert.deepEqual(r, { ok: true, events: 29, checkpoints: 3, unsealed: 0, fromSeq: 5, toSeq: 33 });

    // Times are RFC 3339, as everywhere in the API; a file of format 1 (epoch ms) still verifies.
    for (const l of lines.slice(1)) assert.match(String((JSON.parse(l) as Line).at), /^\d{4}-\d{2}-\d{2}T.*Z$/);
    const v1 = lines.map((l, i) => {
      const line = JSON.parse(l) as Line;
      if (i === 0) return JSON.stringify({ ...line, format: 'tnx-audit-export/1' });
      return JSON.stringify({ ...line, at: Date.parse(String(line.at)) });
    });
    assert.equal((await verifyExport(v1, f.jwks)).ok, true);
    // One instant, one spelling: another way of writing the same time is not the exported line.
    const respelled = lines.map((l, i) => {
      const line = JSON.parse(l) as Line;
      return i === 10 ? JSON.stringify({ ...line, at: String(line.at).replace('Z', '+00:00') }) : l;
    });
    assert.equal((await verifyExport(respelled, f.jwks)).ok, false);
  });

  it('exports a time range as the contiguous seq window of the events inside it', async () => {
    const all = await f.store.audit.range(1, 100, 100);
    const from = all[14]!.at;
    const to = all[29]!.at;
    const lines = await exported({ from, to });
    const events = lines.map((l) => JSON.parse(l) as Line).filter((l) => l.type === 'event');
    const inRange = all.filter((e) => e.at >= from && e.at < to).map((e) => e.seq);
    const seqs = events.map((e) => e.seq as number);
    for (const s of inRange) assert.ok(seqs.includes(s), `seq ${s} exported`);
    assert.equal(seqs[0], inRange[0]);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i),
      'gapless',
    );
    assert.equal((JSON.parse(lines[0]!) as Line & { selection: Line }).selection.from, new Date(from).toISOString());
    assert.equal((await verifyExport(lines, f.jwks)).ok, true);
  });

  it('an export starting at seq 1 is anchored at the genesis hash', async () => {
    const lines = await exported({ fromSeq: 1, toSeq: 3 });
    assert.equal((await verifyExport(lines, f.jwks)).ok, true);
    // Re-anchor the whole export on another prevHash, every hash recomputed: seq 1 must start at genesis.
    let prev = 'e'.repeat(64);
    const forged = lines.map((text) => {
      const l = JSON.parse(text) as Line;
      if (l.type !== 'event') return text;
      l.prevHash = prev;
      l.hash = chainHash(prev, { ...l, at: Date.parse(String(l.at)) } as never);
      prev = l.hash as string;
      return JSON.stringify(l);
    });
    const r = await verifyExport(forged, f.jwks);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [1, 'prevHash mismatch (events reordered or inserted)']);
  });

  it('fails after editing one exported line, naming its seq', async () => {
    const lines = edit(await exported({ fromSeq: 5, toSeq: 25 }), 17, (l) => (l.outcome = 'failed'));
    const r = await verifyExport(lines, f.jwks);
    assert.deepEqual([r.ok, r.firstBad?.seq, r.firstBad?.problem], [false, 17, 'hash mismatch (event altered)']);
  });

  it('fails when an edited line is re-hashed to the end: the signed checkpoint no longer matches', async () => {
    let lines = await exported({ fromSeq: 5, toSeq: 25 });
    lines = edit(lines, 17, (l) => (l.outcome = 'failed'));
    let prev = '';
    lines = lines.map((text) => {
      const l = JSON.parse(text) as Line;
      if (l.type !== 'event' || (l.seq as number) < 17) {
        if (l.type === 'event') prev = l.hash as string;
        return text;
      }
      l.prevHash = prev;
      l.hash = chainHash(prev, { ...l, at: Date.parse(String(l.at)) } as never);
      prev = l.hash as string;
      return JSON.stringify(l);
    });
    const r = await verifyExport(lines, f.jwks);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [22, 'checkpoint does not match chain']);
  });

  it('fails when a line is removed from the middle or the end', async () => {
    const lines = await exported({ fromSeq: 5, toSeq: 25 });
    const without = (seq: number) =>
      lines.filter((t) => !((JSON.parse(t) as Line).type === 'event' && (JSON.parse(t) as Line).seq === seq));
    const mid = await verifyExport(without(12), f.jwks);
    assert.deepEqual([mid.firstBad?.seq, mid.firstBad?.problem], [12, 'sequence gap (event removed)']);
    const end = await verifyExport(without(33), f.jwks);
    assert.deepEqual(
      [end.firstBad?.seq, end.firstBad?.problem],
      [33, 'chain ends before a checkpoint (tail truncated)'],
    );
  });

  it('does not trust the JWKS in the header: checkpoints re-signed by an intruder fail with the genuine keys', async () => {
    const intruderJwks = await generateKeySet('XAA', f.clock);
    const intruder = await KeyRing.fromJwks(intruderJwks);
    const lines = await exported({ fromSeq: 5, toSeq: 25 });
    const forged = await Promise.all(
      lines.map(async (text) => {
        const l = JSON.parse(text) as Line;
        if (l.type === 'header') return JSON.stringify({ ...l, jwks: auditJwksOf(intruderJwks) });
        if (l.type !== 'checkpoint') return text;
        const cp = await signCheckpoint(
          { seq: l.seq as number, headHash: l.headHash as string, at: Date.parse(String(l.at)), state: 'XAA' },
          intruder.signingKey(),
        );
        return JSON.stringify({ ...l, jws: cp.jws });
      }),
    );
    assert.equal(
      (await verifyExport(forged, auditJwksOf(intruderJwks))).ok,
      true,
      'consistent with the intruder’s own keys…',
    );
    const r = await verifyExport(forged, f.jwks);
    assert.deepEqual(
      [r.firstBad?.seq, r.firstBad?.problem],
      [11, 'checkpoint signature invalid'],
      '…but not with ours',
    );
  });

  it('reports events after the last checkpoint as unsealed', async () => {
    const r = await verifyExport(await exported({ fromSeq: 40, toSeq: 100 }), f.jwks);
    assert.deepEqual(r, { ok: true, events: 8, checkpoints: 1, unsealed: 3, fromSeq: 40, toSeq: 47 });
  });

  it('exports an empty selection as a header alone, which verifies', async () => {
    const lines = await exported({ from: 0, to: 1000 });
    assert.equal(lines.length, 1);
    assert.deepEqual(await verifyExport(lines, f.jwks), {
      ok: true,
      events: 0,
      checkpoints: 0,
      unsealed: 0,
      fromSeq: 0,
      toSeq: 0,
    });
  });

  it('refuses a file that is not an export, or a line that is not JSON', async () => {
    const notExport = await verifyExport(['{"hello":1}'], f.jwks);
    assert.deepEqual([notExport.ok, notExport.firstBad?.problem], [false, 'malformed export line']);
    const lines = await exported({ fromSeq: 5, toSeq: 25 });
    lines.splice(10, 1, '{not json');
    const bad = await verifyExport(lines, f.jwks);
    assert.deepEqual([bad.ok, bad.firstBad?.problem], [false, 'malformed export line']);
  });
});
