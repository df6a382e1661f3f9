/**
 * The error registry (src/core/errors.ts) and the error table of protocol/SPEC.md, held to each other both
 * ways (fastify test/internals/errors.test.js): every registry code has a row with the same HTTP status
 * and retry advice, and the table documents no code the registry lacks. Adding a code means adding
 * its row to SPEC.md §9.2 as `| \`code\` | status | yes/no | when it happens |`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, type ErrorSpec } from '../../src/core/errors.js';

const SPEC_PATH = 'protocol/SPEC.md';
const SPEC = readFileSync(new URL('../../protocol/SPEC.md', import.meta.url), 'utf8');

interface Row {
  code: string;
  status: number;
  retry: boolean;
  when: string;
  line: number;
}

/** Rows of the first Markdown table after the "Error table" heading whose first cell is a `code`. */
function errorTable(): Row[] {
  const lines = SPEC.split('\n');
  const heading = lines.findIndex((l) => /^#{2,4} .*Error table/.test(l));
  assert.ok(heading >= 0, `${SPEC_PATH}: no heading containing "Error table"`);
  const rows: Row[] = [];
  let inTable = false;
  for (let i = heading + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^#{1,4} /.test(line)) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const m = /^`([a-z0-9_]+)`$/.exec(cells[0] ?? '');
    if (!m) continue; // header and separator rows
    assert.equal(cells.length, 4, `${SPEC_PATH}:${i + 1}: an error row has 4 cells (code, HTTP, retry, when)`);
    assert.match(cells[1] as string, /^\d{3}$/, `${SPEC_PATH}:${i + 1}: HTTP status of \`${m[1]}\``);
    assert.match(cells[2] as string, /^(yes|no)$/, `${SPEC_PATH}:${i + 1}: retry of \`${m[1]}\` is "yes" or "no"`);
    rows.push({ code: m[1] as string, status: Number(cells[1]), retry: cells[2] === 'yes', when: cells[3] as string, line: i + 1 });
  }
  return rows;
}

describe('protocol: error table in SPEC.md ⇄ ERROR_CODES', () => {
  const registry = ERROR_CODES as Record<string, ErrorSpec>;

  it('parses a non-trivial table, one row per code', () => {
    const rows = errorTable();
    assert.ok(rows.length >= 20, `found only ${rows.length} rows`);
    const seen = new Map<string, number>();
    for (const r of rows) {
      const first = seen.get(r.code);
      assert.equal(first, undefined, `\`${r.code}\` is documented twice in ${SPEC_PATH} (lines ${first} and ${r.line})`);
      seen.set(r.code, r.line);
      assert.ok(r.when.length >= 10, `${SPEC_PATH}:${r.line}: say when \`${r.code}\` happens`);
    }
  });

  it('documents every registry code with the same HTTP status and retry advice', () => {
    const rows = new Map(errorTable().map((r) => [r.code, r]));
    const missing = Object.keys(registry).filter((c) => !rows.has(c));
    assert.deepEqual(
      missing,
      [],
      `codes in src/core/errors.ts missing from the error table of ${SPEC_PATH} (§9.2): ${missing.map((c) => `\`${c}\` (${registry[c]?.status})`).join(', ')}`,
    );
    for (const [code, spec] of Object.entries(registry)) {
      const row = rows.get(code) as Row;
      assert.equal(row.status, spec.status, `\`${code}\`: ${SPEC_PATH}:${row.line} says HTTP ${row.status}, src/core/errors.ts says ${spec.status}`);
      assert.equal(row.retry, spec.retry, `\`${code}\`: ${SPEC_PATH}:${row.line} says retry ${row.retry ? 'yes' : 'no'}, src/core/errors.ts says ${spec.retry ? 'yes' : 'no'}`);
    }
  });

  it('documents no code that src/core/errors.ts does not define', () => {
    const extra = errorTable().filter((r) => !Object.hasOwn(registry, r.code));
    assert.deepEqual(
      extra.map((r) => `${r.code} (${SPEC_PATH}:${r.line})`),
      [],
      `codes in the error table of ${SPEC_PATH} that src/core/errors.ts lacks: ${extra.map((r) => `\`${r.code}\` at line ${r.line}`).join(', ')}`,
    );
  });

  it('follows the wire rule: 4xx do not retry except 408 and 429; 5xx marked no are documented as exceptions', () => {
    for (const [code, spec] of Object.entries(registry)) {
      if (spec.status >= 400 && spec.status < 500) {
        assert.equal(spec.retry, spec.status === 408 || spec.status === 429, `\`${code}\` (${spec.status})`);
      }
    }
    const row = (c: string) => errorTable().find((r) => r.code === c) as Row;
    for (const [code, spec] of Object.entries(registry)) {
      if (spec.status >= 500 && !spec.retry) {
        assert.match(row(code).when, /Internal|Sending side/, `\`${code}\` is a non-retryable 5xx: mark it *Internal* or *Sending side* in ${SPEC_PATH}`);
      }
    }
  });
});
