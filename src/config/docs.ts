/**
 * docs/configuration.md, generated from the one schema (./schema.ts) so the reference cannot drift
 * from what start-up validates: every setting's path, type, default and description.
 * `npm run docs:config` writes the file; a test fails when the committed file differs.
 */
import { configSchema } from './schema.js';

interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  'x-default'?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  propertyNames?: { pattern?: string };
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
}

interface Row {
  path: string;
  type: string;
  default: string;
  description: string;
}

const code = (s: string): string => `\`${s}\``;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => code(JSON.stringify(v))).join(' or ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  const limits: string[] = [];
  if (s.minimum !== undefined) limits.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) limits.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) limits.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 0) limits.push(`length ≥ ${s.minLength}`);
  if (s.maxLength !== undefined) limits.push(`length ≤ ${s.maxLength}`);
  if (s.format) limits.push(s.format);
  if (s.pattern) limits.push(`matching ${code(s.pattern)}`);
  const base = s.type === 'null' ? code('null') : (s.type ?? 'any');
  return limits.length > 0 ? `${base} (${limits.join(', ')})` : base;
}

function defaultOf(s: JsonSchema, required: boolean): string {
  const value = 'default' in s ? s.default : s['x-default'];
  if (value !== undefined) return code(JSON.stringify(value));
  return required ? '**required**' : '—';
}

function walk(s: JsonSchema, path: string, required: boolean, rows: Row[]): void {
  const leaf = (type = typeOf(s)): void =>
    void rows.push({ path: code(path), type, default: defaultOf(s, required), description: s.description ?? '' });
  if (s.properties) {
    // A section is listed when it has something to say about itself (optional, or described).
    if (path.includes('.') && (!required || s.description)) leaf('object');
    for (const [name, child] of Object.entries(s.properties)) {
      walk(child, `${path}.${name}`, (s.required ?? []).includes(name), rows);
    }
  } else if (s.type === 'array' && s.items?.properties) {
    leaf('array of objects');
    // The array's row carries the description; its items are listed by their members.
    const { description: _described, ...items } = s.items;
    walk(items, `${path}[]`, true, rows);
  } else if (s.type === 'object' && s.patternProperties) {
    leaf(`object; names matching ${code(s.propertyNames?.pattern ?? '.*')}`);
    for (const value of Object.values(s.patternProperties)) walk(value, `${path}.<name>`, true, rows);
  } else {
    leaf();
  }
}

/** The whole of docs/configuration.md. */
export function renderConfigDocs(): string {
  const schema = configSchema as unknown as JsonSchema;
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'A gateway reads one JSON file (`tnx serve --config FILE`, or `TNX_CONFIG`), validated once at',
    'start-up against the schema in [src/config/schema.ts](../src/config/schema.ts): a bad setting stops',
    'start-up with its path and what was expected; unknown settings are refused. Every setting below with',
    'a default may be left out. Relative paths are resolved against the folder of the file. Environment',
    'overrides: `REDIS_URL` (redis.url), `MONGODB_URI` (store.mongodbUri, with `store.kind: "mongodb"`),',
    '`TNX_SQLITE_PATH` (store.sqlitePath). Settings spanning several values are checked after the schema:',
    'unique partners and key ids, unique token ids and secrets, `store.mongodbUri` for MongoDB,',
    '`delivery.backoffCapMs` ≥ `delivery.backoffBaseMs`.',
    '',
  ];
  for (const [name, section] of Object.entries(schema.properties ?? {})) {
    if (name === '$schema') continue;
    const rows: Row[] = [];
    const required = (schema.required ?? []).includes(name);
    walk(section, name, required, rows);
    out.push(`## ${name}`, '');
    if (section.description && (section.properties || section.items)) out.push(section.description, '');
    if (!required && !('default' in section) && section.properties) out.push('Optional.', '');
    out.push('| Setting | Type | Default | Description |', '| --- | --- | --- | --- |');
    for (const r of rows) out.push(`| ${[r.path, r.type, r.default, r.description].map(cell).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}
