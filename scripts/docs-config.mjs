// `npm run docs:config`: writes docs/configuration.md from the configuration schema
// (src/config/docs.ts). tests/config/docs.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { renderConfigDocs } = await import('../src/config/docs.ts');
const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, renderConfigDocs());
console.log(`wrote ${target.pathname}`);
