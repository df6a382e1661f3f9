/**
 * Checks real responses against protocol/openapi.yaml: the operation is found by method and path, the
 * status is one it documents, the content type is one that status documents (exactly, without a
 * parameter, for the media types of SPEC §2), and the body validates against the documented schema
 * with ajv (JSON Schema 2020-12; `schemas/*.json` references resolve to protocol/schemas by `$id`).
 * Every checked answer is recorded per operation, so a test can require coverage.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { ROOT } from '../gateway/bootstrap.js';

type Json = Record<string, unknown>;
const DOC_ID = 'https://tnx.example/openapi.json';
const SCHEMA_BASE = 'https://tnx.example/schemas/1/';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** SPEC §2 writes these without parameters; the gateway must send them exactly so. */
const EXACT_TYPES = new Set(['application/jwt', 'application/jwk-set+json', 'application/jose']);

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('schemas/') ? SCHEMA_BASE + v.slice(8) : rewriteRefs(v);
  }
  return out;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface Operation {
  id: string;
  method: string;
  template: string;
  pattern: RegExp;
  pointer: string;
  responses: Json;
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

export class OpenApiCheck {
  readonly doc: Json;
  readonly operations: Operation[] = [];
  /** operationId → statuses seen and validated. */
  readonly seen = new Map<string, Set<number>>();
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.doc = parse(readFileSync(join(ROOT, 'protocol/openapi.yaml'), 'utf8')) as Json;
    this.ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const dir = join(ROOT, 'protocol/schemas');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      this.ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json);
    }
    this.ajv.addSchema({ ...(rewriteRefs(this.doc) as Json), $id: DOC_ID });
    for (const [path, item] of Object.entries(this.doc.paths as Json)) {
      for (const method of METHODS) {
        const op = (item as Json)[method] as Json | undefined;
        if (!op) continue;
        const source = path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
        this.operations.push({
          id: String(op.operationId),
          method: method.toUpperCase(),
          template: path,
          pattern: new RegExp(`^${source}$`),
          pointer: `/paths/${escapePointer(path)}/${method}`,
          responses: op.responses as Json,
        });
      }
    }
  }

  operationOf(method: string, path: string): Operation {
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    assert.ok(op, `${method} ${path} is a documented operation`);
    return op;
  }

  private validator(pointer: string): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }

  /** Asserts the answer is what the document says `method path` answers; returns the operationId. */
  check(method: string, path: string, answer: Answer): string {
    const op = this.operationOf(method, path);
    const where = `${op.id} (${method} ${path}) ${answer.status}`;
    let response = op.responses[String(answer.status)] as Json | undefined;
    let pointer = `${op.pointer}/responses/${answer.status}`;
    assert.ok(response, `${where}: status documented (${answer.text.slice(0, 300)})`);
    const ref = response.$ref;
    if (typeof ref === 'string') {
      pointer = ref.slice(1);
      response = ((this.doc.components as Json).responses as Json)[ref.split('/').pop() as string] as Json;
    }
    const content = response.content as Json | undefined;
    if (!content) {
      assert.equal(answer.text, '', `${where}: no body documented, none sent`);
    } else {
      const header = answer.contentType ?? '';
      const media = header.split(';')[0]!.trim();
      assert.ok(media in content, `${where}: content type ${header} documented (${Object.keys(content).join(', ')})`);
      if (EXACT_TYPES.has(media)) assert.equal(header, media, `${where}: ${media} without parameters (SPEC §2)`);
      const media_ = content[media] as Json;
      if (media_.schema !== undefined) {
        const json = media === 'application/json' || media.endsWith('+json');
        const body: unknown = json ? JSON.parse(answer.text) : answer.text;
        const validate = this.validator(`${pointer}/content/${escapePointer(media)}/schema`);
        assert.ok(validate(body), `${where}: body validates: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
      }
    }
    const set = this.seen.get(op.id) ?? new Set<number>();
    set.add(answer.status);
    this.seen.set(op.id, set);
    return op.id;
  }
}
