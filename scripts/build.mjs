// `npm run build` (also run by `prepare`/`prepack` and scripts/setup.sh): compiles the DSL, compiler and
// reference interpreter to dist/ (JavaScript + .d.ts) so the package runs on plain Node and TypeScript
// consumers type-check only declarations. tsc rewrites the sources' relative `.ts` imports to `.js` in the
// JavaScript; the declarations keep `.ts`, which consumers without `allowImportingTsExtensions` reject, so they
// are rewritten here.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const fixed = text.replace(
    /(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g,
    (_, lead, q, spec) => `${lead}${q}${spec}.js${q}`,
  );
  if (fixed !== text) {
    writeFileSync(file, fixed);
    rewritten++;
  }
}
// tsc does not emit a plain .js source that has a hand-written .d.ts beside it (backends/common/math.js): it types
// the import from the .d.ts. Copy every relatively imported file that is missing from dist/ (and its .d.ts),
// following their own imports, so dist/ is complete.
const pending = [...readdirSync(dist, { recursive: true, withFileTypes: true })]
  .filter((e) => e.isFile() && e.name.endsWith('.js'))
  .map((e) => path.join(e.parentPath ?? e.path, e.name));
let copied = 0;
while (pending.length) {
  const file = /** @type {string} */ (pending.pop());
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+\.js)['"]/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    if (existsSync(target)) continue;
    const source = path.join(root, path.relative(dist, target));
    if (!existsSync(source))
      throw new Error(
        `lensc build: ${path.relative(dist, file)} imports ${m[1]}, which is neither in dist/ nor in the sources`,
      );
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(source, target);
    const dts = source.replace(/\.js$/, '.d.ts');
    if (existsSync(dts)) copyFileSync(dts, target.replace(/\.js$/, '.d.ts'));
    copied++;
    pending.push(target);
  }
}
console.log(
  `lensc build: dist/ written (${rewritten} declaration files had .ts imports rewritten, ${copied} plain modules copied)`,
);
