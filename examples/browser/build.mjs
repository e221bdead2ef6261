// Builds the browser example into examples/browser/dist/: main.js bundled by esbuild for the browser (the
// "browser" export condition picks lensc's browser runtimes; code splitting keeps each dynamically imported
// f64 JS kernel in its own chunk, whose URL its tasks are looked up by), index.html, and data.json (the demo's
// data, examples/browser/data.ts). Run: node --import tsx examples/browser/build.mjs (npm run example:browser).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { browserData } from './data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [path.join(here, 'main.js')],
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['browser'],
  logLevel: 'warning',
});
copyFileSync(path.join(here, 'index.html'), path.join(out, 'index.html'));
writeFileSync(path.join(out, 'data.json'), JSON.stringify(browserData()));
console.log(`examples/browser: built ${out}`);
