/**
 * A console page as data, like an API route (../route.ts): its path under /console, its method, the
 * roles it admits — the same list as the API route it mirrors, from ../roles.ts — the query it reads
 * (the same schema language and parser as the API, ../query-schema.ts) and a handler that calls the
 * same services the API calls. src/http/console compiles the list once; a handler never sees a request.
 */
import type { Principal, Role } from '../../core/principal.js';
import type { QueryOf, QuerySchema } from '../query-schema.js';
import type { ParamsSchema, Part, Parts, PathParam } from '../route.js';
import type { Html } from './html.js';

/** The signed-in person, as the console knows them. */
export interface ConsoleUser {
  /** Actor in the audit trail: `oidc:` + the provider's subject. */
  actor: string;
  name: string;
  roles: readonly Role[];
}

export interface PageInput<Q, PS extends ParamsSchema> {
  /** The user acting in one of the page's roles: what services are given. */
  principal: Principal;
  user: ConsoleUser;
  params: { readonly [K in keyof PS]: string };
  query: Q;
  /** The query as sent (strings, empty values dropped): to refill a filter form and build links. */
  raw: Readonly<Record<string, unknown>>;
  /** Fields of a posted form (the CSRF token already checked and removed); empty on GET. */
  form: Readonly<Record<string, string>>;
  /** The session's CSRF token, for the forms the page renders (see csrfField in ./components.ts). */
  csrf: string;
  /** The parts this gateway serves: only their pages are listed to the user. */
  served: ReadonlySet<Part>;
}

export type PageResult =
  | { kind: 'page'; title: string; body: Html; status?: number }
  /** After a form (POST → redirect → GET); `flash` is shown once on the next page. */
  | { kind: 'redirect'; to: string; flash?: string }
  | { kind: 'file'; contentType: string; filename?: string; body: string | Buffer };

export interface NavEntry {
  label: string;
  /** What the home page says about it. */
  description: string;
  /** Position in the navigation, lower first. */
  order: number;
}

export interface Page<
  P extends Part = Part,
  Q extends QuerySchema = QuerySchema,
  PS extends ParamsSchema = ParamsSchema,
> {
  /** Stable name: log field, metric label. */
  name: string;
  method: 'GET' | 'POST';
  /** Path under /console (`/deliveries/:id`); `:name` segments are the params. */
  path: string;
  part: P;
  roles: readonly Role[];
  params?: PS;
  /** Allowed query parameters, checked as the API checks them; `{}` refuses every parameter. */
  query: Q;
  /** Present: the page is listed in the navigation and on the home page. */
  nav?: NavEntry;
  handle(input: PageInput<QueryOf<Q>, PS>, ctx: Parts[P]): Promise<PageResult>;
}

/** Identity at run time; infers the query and params types for `handle`. */
export function definePage<
  P extends Part,
  const Q extends QuerySchema,
  const PS extends ParamsSchema = Record<never, PathParam>,
>(page: Page<P, Q, PS>): Page<P, Q, PS> {
  return page;
}

/** The role a user acts in on a page: their first role the page admits, or null (403). */
export function actingRole(user: ConsoleUser, roles: readonly Role[]): Role | null {
  return user.roles.find((r) => roles.includes(r)) ?? null;
}

/** Same-origin relative path under /console only: never `//host`, `/\host` or a scheme. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/console';
  if (!/^\/console(?:[/?#]|$)/.test(value)) return '/console';
  if (/[\\\u0000-\u001f\u007f]/.test(value) || value.includes('//')) return '/console';
  return value;
}
