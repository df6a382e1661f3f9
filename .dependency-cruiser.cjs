/**
 * The layer rules of docs/architecture.md, checked on every CI run (`npm run lint`).
 *
 *   core ← domain ← config ← ports ← adapters | features ← http ← runtime ← cli
 *
 * A layer may import only the layers to its left (and itself); adapters and features never see each
 * other; express lives only in http/, Redis and the databases only in adapters/.
 */
const LAYERS = {
  core: ['core'],
  domain: ['core', 'domain'],
  config: ['core', 'domain', 'config'],
  ports: ['core', 'domain', 'config', 'ports'],
  adapters: ['core', 'domain', 'config', 'ports', 'adapters'],
  features: ['core', 'domain', 'config', 'ports', 'features'],
  http: ['core', 'domain', 'config', 'ports', 'features', 'http'],
  runtime: ['core', 'domain', 'config', 'ports', 'adapters', 'features', 'http', 'runtime'],
  cli: ['core', 'domain', 'config', 'ports', 'adapters', 'features', 'http', 'runtime', 'cli'],
};
const ALL = Object.keys(LAYERS);

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer}/ may import only: ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${ALL.filter((l) => !allowed.includes(l)).join('|')})/` },
}));

/** npm packages that only one layer may know. */
const only = (name, pkgs, layers) => ({
  name,
  comment: `${pkgs.join(', ')} may be imported only in ${layers.map((l) => `src/${l}/`).join(', ')}`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/(${layers.join('|')})/` },
  to: { path: `^node_modules/(${pkgs.map((p) => p.replace('/', '\\/')).join('|')})/` },
});

module.exports = {
  forbidden: [
    ...layerRules,
    only('express-only-in-http', ['express'], ['http']),
    only('redis-only-in-adapters', ['bullmq', 'ioredis'], ['adapters']),
    only('databases-only-in-adapters', ['better-sqlite3', 'mongoose'], ['adapters']),
    {
      name: 'no-circular',
      comment: 'modules that import each other cannot be understood (or tested) one at a time',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-tests',
      comment: 'production code never imports test or benchmark code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
