/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `Html` (the result
 * of another html`` or of `trusted()`), so a page cannot forget to escape a partner name, a person's
 * name or an error message. Arrays are joined; null, undefined and false render nothing. No template
 * engine: the escaping rule is these few lines.
 */

export class Html {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/**
 * Text the caller vouches for as markup (an SVG drawn by our own chart code, say). Never pass it
 * anything that came from a request, a partner or the store.
 */
export function trusted(markup: string): Html {
  return new Html(markup);
}
