/**
 * Validators for the registry's own JSON Schemas (protocol/schemas/registrant.schema.json,
 * travel-report.schema.json), JSON Schema 2020-12 through ajv. They reference the wire definitions of
 * common.schema.json (person, conviction, leg, address), so what the registry accepts can be notified.
 *
 * Errors name the JSON pointer and the rule broken, never the offending value: the values are
 * personal data (names, dates of birth, document numbers) and error messages reach logs.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { TnxError, type ErrorCode } from '../../core/errors.js';
import { COMMON_SCHEMA_FILE, loadSchema } from '../protocol/validate.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// useDefaults off: a record is stored exactly as validated. allErrors off: the first error is enough
// for the caller and keeps validation cheap on hostile input.
// Same options as src/domain/protocol/validate.ts, so the shared definitions mean the same thing here.
const ajv = addFormats(new Ajv2020({ allErrors: false, useDefaults: false, strict: true, allowUnionTypes: true }));
ajv.addSchema(loadSchema(COMMON_SCHEMA_FILE));

function describe(err: ErrorObject | undefined): { pointer: string; message: string } {
  if (!err) return { pointer: '', message: 'invalid' };
  const pointer = err.instancePath;
  if (err.keyword === 'additionalProperties') {
    // The unknown name is input: named by the object that holds it, never echoed.
    return { pointer, message: 'holds a property that is not allowed' };
  }
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    return { pointer: `${pointer}/${missing}`, message: 'is required' };
  }
  return { pointer, message: err.message ?? 'invalid' };
}

/** Compile a schema file from protocol/schemas into a guard that throws `code` on the first error. */
export function schemaGuard<T>(fileName: string, code: ErrorCode): (value: unknown) => asserts value is T {
  const validate = ajv.compile(loadSchema(fileName));
  return (value: unknown): asserts value is T => {
    if (validate(value)) return;
    const { pointer, message } = describe(validate.errors?.[0]);
    throw new TnxError(code, `${pointer || '(root)'} ${message}`, { pointer });
  };
}
