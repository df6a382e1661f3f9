/**
 * protocol/openapi.yaml as served: the document itself at `/openapi.yaml`, and a reference page at
 * `/api/docs` rendered here from the same parsed document — operations grouped by tag, their
 * parameters, request bodies and responses, then the component schemas. Plain HTML with no script and
 * no style of its own, so the page runs under a CSP of `default-src 'none'` and needs no viewer bundle.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const OPENAPI_URL = new URL('../../protocol/openapi.yaml', import.meta.url);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export interface ApiReference {
  /** The document's bytes, exactly as in protocol/. */
  yaml: string;
  html: string;
}

let cached: ApiReference | null = null;

/** Read and rendered once per process: the document is part of the release, not configuration. */
export function apiReference(): ApiReference {
  if (!cached) {
    const yaml = readFileSync(OPENAPI_URL, 'utf8');
    cached = { yaml, html: renderReference(parse(yaml) as Json) };
  }
  return cached;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `#/components/<kind>/<name>` → the component, so shared parameters and responses show inline. */
function deref(doc: Json, node: unknown): Json {
  const ref = str(obj(node).$ref);
  const m = /^#\/components\/(\w+)\/([\w.-]+)$/.exec(ref);
  if (!m) return obj(node);
  return obj(obj(obj(doc.components)[m[1] as string])[m[2] as string]);
}

function anchor(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A schema as indented JSON; references to component schemas become links to their section. */
function schemaBlock(schema: unknown): string {
  const json = esc(JSON.stringify(schema, null, 2));
  const linked = json.replace(
    /&quot;\$ref&quot;: &quot;#\/components\/schemas\/([\w.-]+)&quot;/g,
    (_m, name: string) => `&quot;$ref&quot;: <a href="#${anchor('schema', name)}">${esc(name)}</a>`,
  );
  return `<pre><code>${linked}</code></pre>`;
}

function contentBlock(content: unknown): string {
  const entries = Object.entries(obj(content));
  if (entries.length === 0) return '';
  return entries
    .map(([type, media]) => {
      const schema = obj(media).schema;
      return `<p>Content type <code>${esc(type)}</code></p>${schema === undefined ? '' : schemaBlock(schema)}`;
    })
    .join('');
}

function parametersTable(doc: Json, params: unknown): string {
  if (!Array.isArray(params) || params.length === 0) return '';
  const rows = params
    .map((p) => deref(doc, p))
    .map(
      (p) =>
        `<tr><td><code>${esc(str(p.name))}</code></td><td>${esc(str(p.in))}</td>` +
        `<td>${p.required === true ? 'yes' : 'no'}</td><td><code>${esc(JSON.stringify(p.schema ?? {}))}</code></td>` +
        `<td>${esc(str(p.description))}</td></tr>`,
    )
    .join('');
  return (
    '<h4>Parameters</h4><table><thead><tr><th scope="col">Name</th><th scope="col">In</th>' +
    '<th scope="col">Required</th><th scope="col">Schema</th><th scope="col">Description</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>`
  );
}

function operationSection(doc: Json, method: string, path: string, op: Json): string {
  const id = str(op.operationId);
  const roles = Array.isArray(op['x-tnx-roles']) ? (op['x-tnx-roles'] as unknown[]).map(String) : [];
  const access = Array.isArray(op.security) && op.security.length === 0 ? 'public' : `roles: ${roles.join(', ')}`;
  const body = obj(op.requestBody);
  const responses = Object.entries(obj(op.responses))
    .map(([status, r]) => {
      const res = deref(doc, r);
      return `<h5>${esc(status)}</h5><p>${esc(str(res.description))}</p>${contentBlock(res.content)}`;
    })
    .join('');
  return (
    `<section id="${anchor('op', id)}"><h3><code>${esc(method.toUpperCase())} ${esc(path)}</code></h3>` +
    `<p><strong>${esc(str(op.summary))}</strong></p><p>Operation <code>${esc(id)}</code>; ${esc(access)}.</p>` +
    (op.description ? `<p>${esc(str(op.description))}</p>` : '') +
    parametersTable(doc, op.parameters) +
    (Object.keys(body).length > 0 ? `<h4>Request body</h4>${contentBlock(body.content)}` : '') +
    `<h4>Responses</h4>${responses}</section>`
  );
}

export function renderReference(doc: Json): string {
  const info = obj(doc.info);
  const tags = (Array.isArray(doc.tags) ? doc.tags : []).map(obj);
  const byTag = new Map<string, string[]>(tags.map((t) => [str(t.name), []]));
  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of METHODS) {
      const op = obj(obj(item)[method]);
      if (Object.keys(op).length === 0) continue;
      const tag = str((op.tags as unknown[] | undefined)?.[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)?.push(operationSection(doc, method, path, op));
    }
  }
  const description = new Map(tags.map((t) => [str(t.name), str(t.description)]));
  const groups = [...byTag]
    .filter(([, ops]) => ops.length > 0)
    .map(
      ([tag, ops]) =>
        `<section id="${anchor('tag', tag)}"><h2>${esc(tag)}</h2><p>${esc(description.get(tag) ?? '')}</p>${ops.join('')}</section>`,
    );
  const toc = [...byTag]
    .filter(([, ops]) => ops.length > 0)
    .map(([tag]) => `<li><a href="#${anchor('tag', tag)}">${esc(tag)}</a></li>`)
    .join('');
  const schemas = Object.entries(obj(obj(doc.components).schemas))
    .map(
      ([name, schema]) =>
        `<section id="${anchor('schema', name)}"><h3>${esc(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join('');
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(str(info.title))}</title></head>` +
    `<body><main><h1>${esc(str(info.title))}</h1><p>${esc(str(info.summary))}</p><p>${esc(str(info.description))}</p>` +
    `<p>The document itself: <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI ${esc(str(doc.openapi))}).</p>` +
    `<nav aria-label="Tags"><ul>${toc}<li><a href="#schemas">schemas</a></li></ul></nav>` +
    `${groups.join('')}<section id="schemas"><h2>schemas</h2>${schemas}</section></main></body></html>`
  );
}
