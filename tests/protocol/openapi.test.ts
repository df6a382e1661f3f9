/**
 * protocol/openapi.yaml: parses as OpenAPI 3.1, every operation documents its responses, every $ref
 * resolves (inside the document, into protocol/schemas/, and onward inside those schemas), and the
 * wire contract of SPEC.md §2 is what it describes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { TnxError } from '../../src/core/errors.js';
import { toProblem } from '../../src/http/problem.js';

const PROTOCOL_DIR = new URL('../../protocol/', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Json = Record<string, unknown>;

const loaded = new Map<string, Json>();

function loadDoc(url: URL): Json {
  let doc = loaded.get(url.href);
  if (!doc) {
    const text = readFileSync(url, 'utf8');
    doc = (url.pathname.endsWith('.json') ? JSON.parse(text) : parse(text)) as Json;
    loaded.set(url.href, doc);
  }
  return doc;
}

/** RFC 6901 evaluation; undefined when the pointer does not resolve. */
function evaluatePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return pointer === '' ? doc : undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, token)) return undefined;
    cur = (cur as Json)[token];
  }
  return cur;
}

function refsIn(node: unknown, at: string, out: { ref: string; at: string }[] = []): { ref: string; at: string }[] {
  if (Array.isArray(node)) node.forEach((n, i) => refsIn(n, `${at}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, at });
      else refsIn(v, `${at}/${k}`, out);
    }
  }
  return out;
}

/** Resolves every $ref reachable from `file`, following references into other files. Returns problems. */
function unresolved(file: URL): string[] {
  const problems: string[] = [];
  const visited = new Set<string>();
  const queue = [file];
  while (queue.length > 0) {
    const url = queue.shift() as URL;
    if (visited.has(url.href)) continue;
    visited.add(url.href);
    const doc = loadDoc(url);
    for (const { ref, at } of refsIn(doc, '')) {
      const [path = '', fragment = ''] = ref.split('#');
      const target = path === '' ? url : new URL(path, url);
      const where = `${url.pathname.split('/protocol/')[1]}${at}: $ref "${ref}"`;
      if (!existsSync(target)) {
        problems.push(`${where} → no file`);
        continue;
      }
      if (evaluatePointer(loadDoc(target), fragment) === undefined) problems.push(`${where} → pointer does not resolve`);
      if (path !== '') queue.push(target);
    }
  }
  return problems;
}

describe('protocol: openapi.yaml', () => {
  const api = loadDoc(new URL('openapi.yaml', PROTOCOL_DIR));
  const paths = api.paths as Record<string, Json>;

  it('is OpenAPI 3.1 with JSON Schema 2020-12', () => {
    assert.match(String(api.openapi), /^3\.1\.\d+$/);
    assert.equal(api.jsonSchemaDialect, 'https://json-schema.org/draft/2020-12/schema');
  });

  it('every operation has an id, responses, a success response and problem+json failures', () => {
    let operations = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        assert.equal(typeof op.operationId, 'string', `${where}: operationId`);
        const responses = op.responses as Record<string, Json> | undefined;
        assert.ok(responses && Object.keys(responses).length > 0, `${where}: responses`);
        assert.ok(Object.keys(responses).some((s) => /^2\d\d$/.test(s)), `${where}: a 2xx response`);
        for (const [status, r] of Object.entries(responses)) {
          assert.ok(typeof r.$ref === 'string' || typeof r.description === 'string', `${where} ${status}: description or $ref`);
        }
      }
    }
    assert.ok(operations >= 2);
  });

  it('every $ref resolves, in the document and in the schemas it points to', () => {
    const refs = refsIn(api, '');
    assert.ok(refs.some((r) => r.ref.startsWith('schemas/')), 'references the message schemas');
    assert.deepEqual(unresolved(new URL('openapi.yaml', PROTOCOL_DIR)), []);
  });

  it('describes the wire contract of SPEC.md §2', () => {
    const post = paths['/tnx/v1/messages']?.post as Json;
    assert.ok(post, 'POST /tnx/v1/messages');
    assert.deepEqual(Object.keys((post.requestBody as Json).content as Json), ['application/jose']);
    const responses = post.responses as Record<string, Json>;
    assert.deepEqual(Object.keys((responses['200'] as Json).content as Json), ['application/jwt']);
    for (const status of ['400', '403', '413', '415', '422', '429', '500', '503']) {
      assert.equal((responses[status] as Json)?.$ref, '#/components/responses/Problem', `POST inbox ${status}`);
    }
    const jwks = paths['/.well-known/jwks.json']?.get as Json;
    assert.ok(jwks, 'GET /.well-known/jwks.json');
    assert.ok(((jwks.responses as Json)['200'] as Json).content);
  });

  it('the Problem schema accepts the problem documents the gateway actually sends', () => {
    const schema = evaluatePointer(api, '/components/schemas/Problem') as Json;
    const validate = new Ajv2020({ strict: true }).compile(schema);
    const samples = [
      new TnxError('invalid_message', '/person/dateOfBirth is not in the required form', { pointer: '/person/dateOfBirth' }),
      new TnxError('unsupported_algorithm', 'JWE alg is not allowed', { detail: { allowed: ['ECDH-ES+A256KW'] } }),
      new TnxError('payload_too_large', undefined, { detail: { limit: 262144 } }),
      new TnxError('invalid_claims', 'JWS payload is not a valid JSON object', { detail: { reason: 'duplicate_property' } }),
      new TnxError('invalid_message', '/a is required', {
        pointer: '/a',
        detail: { errors: [{ pointer: '/a', code: 'required', detail: 'is required' }], errorCount: 25 },
      }),
      new Error('a bug'),
    ];
    for (const err of samples) {
      const { body } = toProblem(err, 'req-1');
      assert.ok(validate(body), `${body.code}: ${JSON.stringify(validate.errors)}`);
    }
  });
});
