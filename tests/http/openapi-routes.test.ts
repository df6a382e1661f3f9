/** protocol/openapi.yaml and the route table describe the same endpoints, methods and roles. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROUTES } from '../../src/http/route-table.js';
import { ROOT } from '../gateway/bootstrap.js';

type Op = { operationId?: string; security?: unknown[]; 'x-tnx-roles'?: string[] };

describe('http: OpenAPI document matches the route table', () => {
  it('every route is documented with its operationId and roles, and every documented operation is a route', () => {
    const api = parse(readFileSync(join(ROOT, 'protocol/openapi.yaml'), 'utf8')) as {
      paths: Record<string, Record<string, Op>>;
    };
    // The one table is data: every route of every part, whichever parts a given process runs.
    const routes = ROUTES;
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(api.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      const op = api.paths[path]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${path} is documented`);
      assert.equal(op.operationId, r.name === 'jwks' ? 'getJwks' : r.name, `${r.method} ${path} operationId`);
      if (r.roles === null) assert.deepEqual(op.security, [], `${r.method} ${path} takes no bearer token`);
      else assert.deepEqual([...(op['x-tnx-roles'] ?? [])].sort(), [...r.roles].sort(), `${r.method} ${path} roles`);
      documented.delete(`${r.method} ${path}`);
    }
    assert.deepEqual([...documented], [], 'documented operations without a route');
  });
});
