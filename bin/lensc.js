#!/usr/bin/env node
// The `lensc` command: loads the TypeScript compiler through tsx and runs its CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../compiler/aot/cli.ts');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => { console.error(e instanceof Error ? e.message : String(e)); process.exit(1); },
);
