/**
 * The JSON Schemas themselves: draft 2020-12, ids under one base, and strict at every level — the
 * extension rule of SPEC.md §10 (unknown members refused everywhere except under `ext`) is a property
 * of the schema files, checked here so a later edit cannot loosen one object silently.
 */
import assert from 'node:assert/strict';
import { loadSchema, MESSAGE_SCHEMA_FILES, RECEIPT_SCHEMA_FILE, CLAIMS_SCHEMA_FILE, COMMON_SCHEMA_FILE } from '../../src/domain/protocol/validate.js';

type Json = Record<string, unknown>;
const FILES = [COMMON_SCHEMA_FILE, ...Object.values(MESSAGE_SCHEMA_FILES), RECEIPT_SCHEMA_FILE, CLAIMS_SCHEMA_FILE];

/** Every subschema with `type: "object"`, with its location. */
function objectSchemas(node: unknown, at: string, out: [string, Json][] = []): [string, Json][] {
  if (Array.isArray(node)) node.forEach((n, i) => objectSchemas(n, `${at}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    const obj = node as Json;
    if (obj.type === 'object') out.push([at, obj]);
    for (const [k, v] of Object.entries(obj)) {
      // `properties` maps names to schemas: descend into each; `const`/`enum` are data, not schemas.
      if (k !== 'const' && k !== 'enum') objectSchemas(v, `${at}/${k}`, out);
    }
  }
  return out;
}

describe('protocol: JSON Schema files', () => {
  it('are draft 2020-12 with $id = base + file name', () => {
    for (const f of FILES) {
      const s = loadSchema(f);
      assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema', f);
      assert.equal(s.$id, `https://tnx.example/schemas/1/${f}`, f);
    }
  });

  it('refuse unknown members at every object level, except the ext map (string values only)', () => {
    let objects = 0;
    for (const f of FILES) {
      for (const [at, schema] of objectSchemas(loadSchema(f), f)) {
        objects++;
        if (at === `${COMMON_SCHEMA_FILE}/$defs/extensions`) {
          assert.deepEqual(schema.additionalProperties, { type: 'string', maxLength: 2000 }, at);
          assert.ok(schema.propertyNames, `${at}: keys are constrained`);
          continue;
        }
        // The claims' `tnx` is only "an object" here; its own schema (chosen by type) is strict.
        if (at === `${CLAIMS_SCHEMA_FILE}/properties/tnx`) continue;
        assert.equal(schema.additionalProperties, false, `${at}: additionalProperties must be false`);
        const props = Object.keys((schema.properties as Json | undefined) ?? {});
        for (const r of (schema.required as string[] | undefined) ?? []) assert.ok(props.includes(r), `${at}: required ${r} is defined`);
      }
    }
    assert.ok(objects >= 20, `walked ${objects} object schemas`);
  });

  it('allow ext on the three inbox messages and nowhere else', () => {
    for (const f of FILES) {
      const props = (loadSchema(f).properties as Json | undefined) ?? {};
      const expected = (Object.values(MESSAGE_SCHEMA_FILES) as string[]).includes(f);
      assert.equal(Object.hasOwn(props, 'ext'), expected, f);
    }
  });
});
