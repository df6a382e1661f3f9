/**
 * Validators for the registry's own JSON Schemas (protocol/schemas/registrant.schema.json,
 * travel-report.schema.json), JSON Schema 2020-12 through ajv. They reference the wire definitions of
 * common.schema.json (person, conviction, leg, address), so what the registry accepts can be notified.
 *
 * Errors name the JSON pointer and the rule broken, never the offending value: the values are
 * personal data (names, dates of birth, document numbers) and error messages reach logs.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorCode } from '../../core/errors.js';
import { schemaError } from '../protocol/schema-errors.js';
import { COMMON_SCHEMA_FILE, loadSchema } from '../protocol/validate.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// useDefaults off: a record is stored exactly as validated. allErrors on: the caller gets every
// violation at once (bounded in the problem document; the body is bounded by the size limit).
// Same options as src/domain/protocol/validate.ts, so the shared definitions mean the same thing here.
const ajv = addFormats(new Ajv2020({ allErrors: true, useDefaults: false, strict: true, allowUnionTypes: true }));
ajv.addSchema(loadSchema(COMMON_SCHEMA_FILE));

/** Compile a schema file from protocol/schemas into a guard that throws `code` listing every violation. */
export function schemaGuard<T>(fileName: string, code: ErrorCode): (value: unknown) => asserts value is T {
  const validate = ajv.compile(loadSchema(fileName));
  return (value: unknown): asserts value is T => {
    if (validate(value)) return;
    throw schemaError(code, validate.errors);
  };
}
