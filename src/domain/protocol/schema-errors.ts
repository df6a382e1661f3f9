/**
 * ajv's errors as the problem document's `errors` member: every violation of a body's schema, not only
 * the first, so a client fixes a message in one round trip. Each names the field by JSON pointer and
 * the rule broken — never the value, which can be personal data. Bounded, because a hostile body can
 * violate a schema in thousands of places.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { tnxError, type ErrorCode, type TnxError } from '../../core/errors.js';

/** At most this many entries in `errors`; the problem says how many there were in all. */
export const MAX_FIELD_ERRORS = 20;

const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf']);

export interface FieldError {
  /** JSON pointer (RFC 6901) of the offending field. */
  pointer: string;
  /** The JSON Schema keyword broken, in snake_case (`required`, `additional_properties`, `enum`, …). */
  code: string;
  /** What is wrong, without the value. */
  detail: string;
}

function escapePointerToken(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function snake(keyword: string): string {
  return keyword.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^\$/, '');
}

export function fieldError(e: ErrorObject): FieldError {
  let pointer = e.instancePath;
  let detail: string;
  switch (e.keyword) {
    case 'required':
      pointer += '/' + escapePointerToken(String(e.params.missingProperty));
      detail = 'is required';
      break;
    case 'additionalProperties':
      // The unknown name is input (it could be anything, a name included): the pointer names the
      // object that holds it, never the name itself.
      detail = 'holds a field that is not a TNX/1 field (unknown data is accepted only under /ext)';
      break;
    case 'const':
    case 'enum':
      detail = 'is not one of the allowed values';
      break;
    case 'format':
      detail = `is not a valid ${String(e.params.format)}`;
      break;
    case 'pattern':
      detail = 'is not in the required form';
      break;
    default:
      // ajv's own messages name the constraint (type, bounds), never the instance value.
      detail = e.message ?? 'does not conform to its schema';
  }
  // A property name that breaks a rule is input too: named by its object only.
  if (e.propertyName !== undefined) detail = 'holds a property name that is not allowed';
  // Names under /ext are the sender's own; the pointer stops at /ext.
  pointer = pointer.replace(/(\/ext)\/.*$/, '$1');
  return { pointer, code: snake(e.keyword), detail };
}

/**
 * One typed error for all of a value's schema violations: message and `pointer` of the first, the
 * list (deduplicated, bounded) in `detail.errors`, the total in `detail.errorCount`.
 */
export function schemaError(code: ErrorCode, errors: readonly ErrorObject[] | null | undefined): TnxError {
  const seen = new Set<string>();
  const all: FieldError[] = [];
  for (const e of errors ?? []) {
    // `if`/`anyOf`/`oneOf` wrappers only say "a branch failed"; the branch's own errors are listed.
    if (WRAPPERS.has(e.keyword)) continue;
    // A failed `contains` also reports each item against its subschema; those items are not wrong.
    if (e.schemaPath.includes('/contains/')) continue;
    const f = fieldError(e);
    const key = `${f.pointer} ${f.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(f);
  }
  const first = all[0] ?? (errors?.[0] ? fieldError(errors[0]) : undefined);
  if (!first) return tnxError(code, 'does not conform to its schema', { pointer: '' });
  const listed = all.length > 0 ? all : [first];
  return tnxError(code, `${first.pointer || '(root)'} ${first.detail}`, {
    pointer: first.pointer,
    detail: {
      keyword: first.code,
      errors: listed.slice(0, MAX_FIELD_ERRORS),
      ...(listed.length > MAX_FIELD_ERRORS ? { errorCount: listed.length } : {}),
    },
  });
}
