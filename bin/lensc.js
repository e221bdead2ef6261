#!/usr/bin/env node
// The `lensc` command. Installed from npm it runs the compiled compiler in dist/. In lensc's own checkout (the
// TypeScript sources are next to it) it runs them through tsx, so a stale dist/ never answers for the sources;
// LENSC_USE_DIST=1 forces dist/ there (the packaging test uses it).
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const source = new URL('compiler/aot/cli.ts', root);
let cli;
if (existsSync(source) && process.env.LENSC_USE_DIST !== '1') {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('dist/compiler/aot/cli.js', root).href);
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
