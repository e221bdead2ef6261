// @ts-check
// GPU host self-test of lensc's CUDA runtime: `node bench/gpu/selftest.js [filter...]` (bench/gpu/run.sh
// wraps it). Runs every check module in bench/gpu/checks/ (files NN-name.js, in name order; util.js is
// a helper) and prints one PASS / FAIL / SKIP line per check, metrics as they come, and a closing
// "N passed, M failed" line. Exit code 0 only when nothing failed.
//
// To add checks (e.g. the generated std kernels), drop a file checks/NN-name.js whose default export is
// an array of { name, run(ctx) } — see checks/10-runtime.js. ctx gives the Cuda object, auto-freed
// allocations, metrics and the scale. Plain ESM, runs under bare node with koffi only.
//
// Env: LENSC_SELFTEST_SCALE=small shrinks the timing problems (for a smoke run on a fake driver);
//      LENSC_SELFTEST_BUDGET_S (default 150) skips the checks that would start after the budget;
//      OUT=<dir> also writes <dir>/gpu-selftest.json with every result and metric.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as rt from 'lensc/runtime/cuda';

const here = path.dirname(fileURLToPath(import.meta.url));
const started = performance.now();
const budgetMs = 1000 * Number(process.env.LENSC_SELFTEST_BUDGET_S ?? 150);
const scale = process.env.LENSC_SELFTEST_SCALE === 'small' ? 'small' : 'full';
const filters = process.argv.slice(2);
/** @type {{ check: string, status: string, seconds: number, detail: string }[]} */
const results = [];
/** @type {{ check: string, name: string, value: number, unit: string }[]} */
const metrics = [];

/** @param {string} s */
const say = (s) => console.log(s);
/** @param {number} ms */
const secs = (ms) => (ms / 1000).toFixed(2);

async function main() {
  say(`lensc GPU self-test (scale ${scale}, node ${process.version})`);
  let cu;
  try {
    cu = await rt.getCuda();
  } catch (e) {
    say(`FAIL getCuda: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return finish();
  }
  say(`device: ${JSON.stringify(cu.device)}`);
  say(`capabilities: ${JSON.stringify(cu.capabilities())}`);
  try {
    say(`nvrtc: ${JSON.stringify(await rt.nvrtcInfo())}`);
  } catch (e) {
    say(`nvrtc: unavailable (${e instanceof Error ? e.message : String(e)})`);
  }
  results.push({ check: 'getCuda', status: 'PASS', seconds: 0, detail: cu.device.name });
  say('PASS getCuda');

  const files = fs
    .readdirSync(path.join(here, 'checks'))
    .filter((f) => /^\d+-.*\.js$/.test(f))
    .sort();
  for (const file of files) {
    const mod = await import(path.join(here, 'checks', file));
    /** @type {{ name: string, run: (ctx: any) => Promise<string | void> }[]} */
    const checks = mod.default;
    for (const check of checks) {
      if (filters.length && !filters.some((f) => check.name.includes(f) || file.includes(f))) continue;
      await runOne(cu, check);
    }
  }
  return finish();
}

/**
 * @param {import('lensc/runtime/cuda').Cuda} cu
 * @param {{ name: string, run: (ctx: any) => Promise<string | void> }} check
 */
async function runOne(cu, check) {
  if (performance.now() - started > budgetMs) {
    results.push({ check: check.name, status: 'SKIP', seconds: 0, detail: 'time budget spent' });
    say(`SKIP ${check.name}: time budget (${budgetMs / 1000} s) spent`);
    return;
  }
  /** @type {bigint[]} */
  const owned = [];
  const ctx = {
    cu,
    rt,
    scale,
    /** @param {number} bytes */
    alloc(bytes) {
      const p = cu.alloc(bytes);
      owned.push(p);
      return p;
    },
    /** @param {string} name @param {number} value @param {string} unit */
    metric(name, value, unit) {
      metrics.push({ check: check.name, name, value, unit });
      say(`  metric ${name} = ${Number.isInteger(value) ? value : value.toPrecision(4)} ${unit}`);
    },
    /** @param {string} s */
    log(s) {
      say(`  ${s}`);
    },
  };
  const t0 = performance.now();
  try {
    const detail = (await check.run(ctx)) ?? '';
    cu.synchronize(); // a fault from this check's kernels must be reported here, not in the next check
    results.push({ check: check.name, status: 'PASS', seconds: (performance.now() - t0) / 1000, detail });
    say(`PASS ${check.name} (${secs(performance.now() - t0)} s)${detail ? ` ${detail}` : ''}`);
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    results.push({ check: check.name, status: 'FAIL', seconds: (performance.now() - t0) / 1000, detail: msg });
    say(`FAIL ${check.name} (${secs(performance.now() - t0)} s): ${msg}`);
    if (e instanceof Error && e.stack) say(e.stack.split('\n').slice(1, 4).join('\n'));
  } finally {
    for (const p of owned) {
      try {
        cu.free(p);
      } catch {
        /* a sticky context error already reported */
      }
    }
  }
}

function finish() {
  const passed = results.filter((r) => r.status === 'PASS').length;
  const failed = results.filter((r) => r.status === 'FAIL').length + (results.length === 0 ? 1 : 0);
  const skipped = results.filter((r) => r.status === 'SKIP').length;
  if (process.env.OUT) {
    // the device tool collects $OUT
    try {
      fs.writeFileSync(
        path.join(process.env.OUT, 'gpu-selftest.json'),
        JSON.stringify({ scale, seconds: (performance.now() - started) / 1000, results, metrics }, null, 2),
      );
    } catch (e) {
      say(`(could not write gpu-selftest.json: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  say(`total ${secs(performance.now() - started)} s`);
  say(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  say(`FAIL self-test harness: ${e instanceof Error ? e.stack : String(e)}`);
  process.exitCode = 1;
});
