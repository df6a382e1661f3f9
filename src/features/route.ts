/**
 * A route as data (fastify lib/route.js): what an endpoint admits, accepts and produces, and the
 * function that answers it — no web framework in sight. Each feature exports its routes from its own
 * routes.ts; src/http joins them into the one route table and compiles every route once at start-up
 * into named steps (authenticate → requireRole → negotiate → parseBody → parseQuery → handle → respond).
 *
 * A handler gets typed input (the principal, the path parameters, the query its schema allows, the
 * decoded body, the negotiated response kind) and the collaborators of its part of TNX, and answers a
 * Reply. It never sees a request object, so the same service serves the API, the CLI and tests.
 */
import type { Principal, Role } from '../core/principal.js';
import type { QueryOf, QuerySchema } from './query-schema.js';
import type { NationalDeps } from './registry/deps.js';
import type { ScreeningDeps } from './screening/screening-deps.js';
import type { SubmitDeps } from './submission/deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Body forms the gateway reads; each has its media types and decoding in src/http/body.ts. */
export type BodyKind = 'json' | 'xml' | 'jose' | 'paxlst' | 'ndjson';

/** One line of a streamed body: its text, or why it was refused before it was parsed. */
export type BodyLine = { number: number; text: string } | { number: number; refused: 'line_too_long' | 'invalid_utf8' };

export interface RequestBody {
  kind: BodyKind;
  /** JSON value, the message decoded from XML, or the text (jose, paxlst); undefined when streamed. */
  value: unknown;
  /** The exact bytes received (the inbox digests them); empty when streamed. */
  raw: Buffer;
  text: string;
  /** A streamed body's lines, read as the handler asks for them (never held whole). */
  lines?: AsyncIterable<BodyLine>;
}

export interface BodySpec<B> {
  kinds: readonly BodyKind[];
  /**
   * 'api': http.bodyLimitBytes; 'message': protocol.maxMessageBytes; a number: that many bytes.
   * For a streamed body, the limit of one line.
   */
  limit: 'api' | 'message' | number;
  /** Streamed (ndjson): the handler reads `lines` while the body arrives; memory stays bounded. */
  stream?: boolean;
  /** Turns the parsed body into the handler's input; runs in the body step, before the query is read. */
  decode: (body: RequestBody) => B;
}

/** The parsed value as it is: the service validates it (after filling what the gateway owns). */
export const bodyValue = (body: RequestBody): unknown => body.value;

/** A JSON body within the API's size limit, handed to the service as parsed. */
export const JSON_BODY = { kinds: ['json'], limit: 'api', decode: bodyValue } as const satisfies BodySpec<unknown>;

/** Response forms; a route offering several gets them by Accept negotiation (406 for anything else). */
export type ResponseKind = 'json' | 'csv' | 'xml';

export interface Reply {
  /** Default 200. */
  status?: number;
  /** Default: the negotiated kind. A csv or xml body is a string. */
  kind?: ResponseKind;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Cursor of the next page: answered as a Link header (RFC 8288) on this path and query. */
  next?: string | null;
}

/** A path parameter; a value that does not match `pattern` names nothing that exists: `not_found`. */
export interface PathParam {
  pattern?: RegExp;
}
export type ParamsSchema = Readonly<Record<string, PathParam>>;

/** The one path parameter most resources are addressed by. */
export const BY_ID = { id: {} } as const satisfies ParamsSchema;

export interface RouteInput<Q, B, PS extends ParamsSchema> {
  principal: Principal;
  params: { readonly [K in keyof PS]: string };
  query: Q;
  body: B;
  accept: ResponseKind;
  /** Only the request headers the route declares (lower case). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** The parts of TNX and what their handlers are given. A part's routes are served where the part runs. */
export interface Parts {
  /** The gateway: submission, delivery view, audit trail, inbox, directory, statistics. */
  core: SubmitDeps;
  /** The national registry and travel reports (config.registry). */
  registry: NationalDeps;
  /** Manifest screening (runs with the registry). */
  screening: ScreeningDeps;
}
export type Part = keyof Parts;

export interface Route<
  P extends Part = Part,
  Q extends QuerySchema = QuerySchema,
  B = unknown,
  PS extends ParamsSchema = ParamsSchema,
> {
  /** Stable name: OpenAPI operationId, log field, metric label, audit detail. */
  name: string;
  method: Method;
  /** Path pattern; `:name` segments are the params. */
  path: string;
  part: P;
  roles: readonly Role[];
  params?: PS;
  /** Allowed query parameters; `{}` refuses every parameter. */
  query: Q;
  body?: BodySpec<B>;
  /** Request headers the handler reads. */
  headers?: readonly string[];
  /** Response kinds, the default first. */
  produces: readonly ResponseKind[];
  /** Counted by admission control (src/features/submission/admission.ts): refused at once when overloaded. */
  shed?: boolean;
  handle(input: RouteInput<QueryOf<Q>, B, PS>, ctx: Parts[P]): Promise<Reply>;
}

/** Identity at run time; at compile time it infers the query, params and body types for `handle`. */
export function defineRoute<
  P extends Part,
  const Q extends QuerySchema,
  B = undefined,
  const PS extends ParamsSchema = Record<never, PathParam>,
>(route: Route<P, Q, B, PS>): Route<P, Q, B, PS> {
  return route;
}

/** A route declared within a group: `query` defaults to `{}` (no parameters) and `produces` to JSON. */
export type GroupRoute<P extends Part, Q extends QuerySchema, B, PS extends ParamsSchema> = Omit<
  Route<P, Q, B, PS>,
  'name' | 'part' | 'roles' | 'query' | 'produces'
> &
  Partial<Pick<Route<P, Q, B, PS>, 'roles' | 'query' | 'produces'>>;

/** Declares one route of a group by its stable name; infers the handler's input types. */
export type DeclareRoute<P extends Part> = <
  const Q extends QuerySchema = Record<never, never>,
  B = undefined,
  const PS extends ParamsSchema = Record<never, PathParam>,
>(
  name: string,
  declared: GroupRoute<P, Q, B, PS>,
) => Route<P, Q, B, PS>;

const JSON_ONLY: readonly ResponseKind[] = ['json'];

/**
 * A feature's routes with what they share said once (as fastify's `register` scopes a plugin's
 * routes): `routesOf(part, roles, (route) => [route('readX', { method, path, … }), …])`.
 */
export function routesOf<P extends Part>(
  part: P,
  roles: readonly Role[],
  declare: (route: DeclareRoute<P>) => readonly Route[],
): readonly Route[] {
  return declare((name, declared) => ({ part, roles, name, query: {} as never, produces: JSON_ONLY, ...declared }));
}
