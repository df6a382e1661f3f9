// Compiles the console's stylesheet (src/http/console/static/console.scss: GOV.UK Frontend with a system
// font stack) into build/console/console.css, which the gateway serves at /console/assets/console.css.
// `npm ci` runs it through `prepare`; build/ is not in git.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// require() so NODE_PATH is honoured too (a sass installed outside the tree).
const sass = createRequire(import.meta.url)('sass');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build/console/console.css');
const result = sass.compile(join(root, 'src/http/console/static/console.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, result.css);
console.log(`console css: ${out} (${result.css.length} bytes)`);
