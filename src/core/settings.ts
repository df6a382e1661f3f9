/**
 * Building blocks for settings defined once: a TypeBox schema per setting carries its type, its
 * default and its description, and everything else is derived from it — the resolved type
 * (`Static`, defaults filled), the input type (`Input`, optional where a default exists), the JSON
 * Schema ajv validates (the TypeBox object itself) and the defaults (`defaultsOf`).
 * After fastify build/build-validation.js, with TypeBox as the one source as fastify's type providers do.
 */
import {
  Type,
  type ObjectOptions,
  type SchemaOptions,
  type TArray,
  type TObject,
  type TOptional,
  type TProperties,
  type TRecord,
  type TSchema,
  type TUnsafe,
  type Static,
} from '@sinclair/typebox';

/** A setting a file may leave out: ajv (useDefaults) fills `default`, so the resolved value always has it. */
export type TDefaulted<T extends TSchema> = T & { default: unknown };

export function Defaulted<T extends TSchema>(schema: T, value: Input<T>): TDefaulted<T> {
  return { ...schema, default: value };
}

/**
 * An object of settings. Unknown names are refused (a typo must not pass silently); a property with
 * a default is not `required` in the JSON Schema — the file may leave it out — although the resolved
 * type (`Static`) has it, because validation fills it in.
 */
export function Settings<P extends TProperties>(properties: P, options: ObjectOptions = {}): TObject<P> {
  const schema = Type.Object(properties, { additionalProperties: false, ...options });
  const json = schema as { required?: string[] };
  const required = (json.required ?? []).filter((k) => !('default' in (properties[k] as object)));
  if (required.length > 0) json.required = required;
  else delete json.required;
  return schema;
}

/** A section a file may leave out entirely: it defaults to `{}`, which validation then fills. */
export function Section<P extends TProperties>(properties: P, options: ObjectOptions = {}): TDefaulted<TObject<P>> {
  return Defaulted(Settings(properties, options), {} as Input<TObject<P>>);
}

/** One of a list of strings, as a plain JSON Schema `enum` (so errors and docs list the values). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, enum: [...values] });
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type MayOmit<S> = S extends { default: unknown } ? true : S extends TOptional<TSchema> ? true : false;

/** What a file may say for schema T: the resolved type with every setting that has a default optional. */
export type Input<T extends TSchema> =
  T extends TObject<infer P>
    ? Simplify<
        { [K in keyof P as MayOmit<P[K]> extends true ? K : never]?: Input<P[K]> } & {
          [K in keyof P as MayOmit<P[K]> extends true ? never : K]: Input<P[K]>;
        }
      >
    : T extends TArray<infer I>
      ? Input<I>[]
      : T extends TRecord<TSchema, infer V>
        ? Record<string, Input<V>>
        : Static<T>;

/** The defaults a schema declares, nested as a resolved value would hold them (objects without a default are left out). */
export function defaultsOf(schema: TSchema): unknown {
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  if (props && 'default' in schema) {
    const out: Record<string, unknown> = structuredClone(schema.default) as Record<string, unknown>;
    for (const [k, s] of Object.entries(props)) {
      const v = defaultsOf(s);
      if (v !== undefined && !(k in out)) out[k] = v;
    }
    return out;
  }
  return 'default' in schema && !props ? structuredClone(schema.default) : undefined;
}

/**
 * A copy of a JSON Schema whose defaults are documented (`x-default`) instead of applied: for settings
 * kept as written and resolved where they are used. ajv ignores the unknown keyword (strict: false).
 */
export function documentedDefaults(schema: TSchema): Record<string, unknown> {
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k === 'default' ? 'x-default' : k] = k === 'default' ? v : copy(v);
    return out;
  };
  return copy(schema) as Record<string, unknown>;
}
