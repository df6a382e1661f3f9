/** docs/configuration.md is generated from the schema; it must be the generator's output, and complete. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderConfigDocs } from '../../src/config/docs.js';

const DOC = new URL('../../docs/configuration.md', import.meta.url);

describe('config: docs/configuration.md', () => {
  it('is exactly what the schema produces (regenerate with npm run docs:config)', () => {
    assert.equal(readFileSync(DOC, 'utf8'), renderConfigDocs(), 'docs/configuration.md is stale: npm run docs:config');
  });

  it('lists every setting with a type, a default column and a description', () => {
    const rows = renderConfigDocs()
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    assert.ok(rows.length > 80, `only ${rows.length} settings listed`);
    for (const row of rows) {
      const [path, type, dflt, description] = row.slice(2, -2).split(' | ');
      assert.ok(type && dflt, `${path}: type and default column`);
      assert.ok(description?.trim(), `${path}: no description in the schema`);
    }
    for (const path of ['`delivery.outboxIntervalMs`', '`registry.retentionDaysAfterEnd`', '`http.port`']) {
      assert.ok(
        rows.some((r) => r.startsWith(`| ${path} |`)),
        `${path} listed`,
      );
    }
  });
});
