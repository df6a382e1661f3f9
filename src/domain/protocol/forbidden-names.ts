/**
 * Property/element names refused in every input TNX parses (JSON keys, XML element and attribute
 * names): the members of Object.prototype plus `prototype`. A key named `__proto__` or `constructor`
 * reaching a merge, spread or xml2js' object builder is the classic prototype-pollution path
 * (fastify test/proto-poisoning.test.js); no TNX/1 field uses any of these names, so refusing them
 * costs nothing and removes the whole class.
 */
const FORBIDDEN: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN.has(name);
}

/** For documentation and tests. */
export const FORBIDDEN_NAMES: readonly string[] = [...FORBIDDEN].sort();
