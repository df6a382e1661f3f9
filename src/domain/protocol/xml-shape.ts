/**
 * The shape of each TNX/1 message for the XML form, derived from the normative JSON Schemas so that
 * the XML mapping cannot drift from them: element order = schema property order, element types from
 * the schema types. The only XML-specific knowledge is the item element name of each array
 * (protocol/SPEC.md, "XML form"), kept in ITEM_NAMES below.
 */
import { COMMON_SCHEMA_FILE, loadSchema, MESSAGE_SCHEMA_FILES, RECEIPT_SCHEMA_FILE } from './validate.js';

/** Every message type with an XML form, and its schema file. */
export const XML_SCHEMA_FILES = { ...MESSAGE_SCHEMA_FILES, Receipt: RECEIPT_SCHEMA_FILE } as const;
export type XmlMessageType = keyof typeof XML_SCHEMA_FILES;

export type Shape =
  | { kind: 'string' | 'integer' | 'boolean' }
  | { kind: 'nullable'; inner: Shape }
  | { kind: 'object'; fields: ReadonlyMap<string, Shape>; required: ReadonlySet<string> }
  | { kind: 'array'; itemName: string; item: Shape }
  /** `ext`: string values under `STATE_name` keys, written as <entry key="…">…</entry>. */
  | { kind: 'map' };

/** Item element name of every array field, keyed by the JSON field name. */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  given: 'name',
  aliases: 'alias',
  citizenships: 'state',
  travelDocuments: 'document',
  convictions: 'conviction',
  legs: 'leg',
  destinationCountries: 'state',
  accommodation: 'place',
  addressLines: 'line',
  alsoFoundBy: 'kind',
  caveats: 'caveat',
  changed: 'path',
};

/** Item element of the `ext` map. */
export const EXT_ENTRY = 'entry';

type Json = Record<string, unknown>;

const cache = new Map<string, Shape & { kind: 'object' }>();

/** The shape of a message type's root element; `v` and `type` are not child elements (SPEC, XML form). */
export function messageShape(type: XmlMessageType): Shape & { kind: 'object' } {
  let s = cache.get(type);
  if (!s) {
    const common = loadSchema(COMMON_SCHEMA_FILE);
    const root = shapeOf(loadSchema(XML_SCHEMA_FILES[type]), common, '');
    if (root.kind !== 'object') throw new Error(`schema of ${type} is not an object`);
    const fields = new Map(root.fields);
    fields.delete('v');
    fields.delete('type');
    s = { kind: 'object', fields, required: root.required };
    cache.set(type, s);
  }
  return s;
}

function resolve(schema: Json, common: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const m = /^(?:common\.schema\.json)?#\/\$defs\/([A-Za-z]+)$/.exec(ref);
  const defs = common.$defs as Record<string, Json>;
  const target = m?.[1] === undefined ? undefined : defs[m[1]];
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return resolve(target, common);
}

function shapeOf(raw: Json, common: Json, field: string): Shape {
  const schema = resolve(raw, common);
  if (Array.isArray(schema.oneOf)) {
    const branches = (schema.oneOf as Json[]).map((b) => resolve(b, common));
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (branches.length === 2 && nonNull.length === 1 && nonNull[0]) {
      return { kind: 'nullable', inner: shapeOf(nonNull[0], common, field) };
    }
    throw new Error(`unsupported oneOf at ${field}`);
  }
  if (schema.type === 'object') {
    if (schema.properties === undefined) return { kind: 'map' };
    const fields = new Map<string, Shape>();
    for (const [name, sub] of Object.entries(schema.properties as Record<string, Json>)) {
      fields.set(name, shapeOf(sub, common, name));
    }
    return { kind: 'object', fields, required: new Set((schema.required as string[] | undefined) ?? []) };
  }
  if (schema.type === 'array') {
    const itemName = ITEM_NAMES[field];
    if (itemName === undefined) throw new Error(`no XML item name for array field ${field}`);
    return { kind: 'array', itemName, item: shapeOf(schema.items as Json, common, itemName) };
  }
  if (schema.type === 'integer' || schema.type === 'boolean') return { kind: schema.type };
  // Strings, enums of strings and string constants.
  return { kind: 'string' };
}
