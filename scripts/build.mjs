// `npm run build` (also run by `prepare`/`prepack` and scripts/setup.sh): compiles the DSL, compiler and
// reference interpreter to dist/ (JavaScript + .d.ts) so the package runs on plain Node and TypeScript
// consumers type-check only declarations. tsc rewrites the sources' relative `.ts` imports to `.js` in the
// JavaScript; the declarations keep `.ts`, which consumers without `allowImportingTsExtensions` reject, so they
// are rewritten here.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

let rewritten = 0;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g, (_, lead, q, spec) => `${lead}${q}${spec}.js${q}`);
  if (fixed !== text) { writeFileSync(file, fixed); rewritten++; }
}
console.log(`lensc build: dist/ written (${rewritten} declaration files had .ts imports rewritten)`);
