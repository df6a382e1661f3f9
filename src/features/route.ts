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
export type BodyKind = 'json' | 'xml' | 'jose' | 'paxlst';

export interface RequestBody {
  kind: BodyKind;
  /** JSON value, the message decoded from XML, or the text (jose, paxlst). */
  value: unknown;
  /** The exact bytes received (the inbox digests them). */
  raw: Buffer;
  text: string;
}

export interface BodySpec<B> {
  kinds: readonly BodyKind[];
  /** 'api': http.bodyLimitBytes; 'message': protocol.maxMessageBytes; a number: that many bytes. */
  limit: 'api' | 'message' | number;
  /** Turns the parsed body into the handler's input; runs in the body step, before the query is read. */
  decode: (body: RequestBody) => B;
}

/** The parsed value as it is: the service validates it (after filling what the gateway owns). */
export const bodyValue = (body: RequestBody): unknown => body.value;

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
