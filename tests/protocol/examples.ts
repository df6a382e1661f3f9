/** Loads the examples in protocol/examples/ (top level only: sub-folders belong to other features). */
import { readdirSync, readFileSync } from 'node:fs';

export const EXAMPLES_DIR = new URL('../../protocol/examples/', import.meta.url);

export interface Example {
  /** File stem, e.g. "travel-notification-late". */
  name: string;
  json: Record<string, unknown>;
  /** The XML form's text, when protocol/examples/NAME.xml exists. */
  xml: string | undefined;
}

export function loadExamples(): Example[] {
  const files = readdirSync(EXAMPLES_DIR, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
  return files
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      const xmlFile = `${name}.xml`;
      return {
        name,
        json: JSON.parse(readFileSync(new URL(f, EXAMPLES_DIR), 'utf8')) as Record<string, unknown>,
        xml: files.includes(xmlFile) ? readFileSync(new URL(xmlFile, EXAMPLES_DIR), 'utf8') : undefined,
      };
    });
}

export function example(name: string): Record<string, unknown> {
  const ex = loadExamples().find((e) => e.name === name);
  if (!ex) throw new Error(`no example ${name}`);
  return structuredClone(ex.json);
}
