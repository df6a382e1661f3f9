import { readFileSync } from 'node:fs';

/** The gateway's version, from package.json: two levels up from src/runtime and from dist/runtime alike. */
export function gatewayVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
