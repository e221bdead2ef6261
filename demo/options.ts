// demo/options.ts — the demo's command-line flags, their defaults and their checks.
// Defaults are sized to finish in well under a minute on a fresh two-core machine; the flags scale the
// run up (`--n 64 --k 32768 --s 256`). A bad flag stops with a message naming it, before any work starts.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface DemoOptions {
  n: number;
  k: number;
  /** Source grid S = sy × sx. */
  sy: number;
  sx: number;
  b: 3 | 4;
  pixelScaleArcsec: number;
  maskRadiusPixels: number;
  snr: number;
  coefficients: number[];
  threads: number | undefined;
  memoryBudgetBytes: number | undefined;
  out: string;
  seed: number;
  oversample: number;
  checkPixels: number;
}

export const USAGE = `usage: npm run demo -- [flags]

  --n N              image side in pixels (N×N grid)                       [32]
  --k K              number of visibilities                                [20000]
  --s S              source pixels: a count (rounded to sy×sx) or "SYxSX"  [400 = 20x20]
  --b 4|3            mapping slots: bilinear (4) or triangle-linear (3)    [4]
  --pixel-scale D    arcsec per pixel                                      [0.1]
  --mask-radius R    circular mask radius in pixels                        [0.44·N]
  --snr X            peak S/N of the lensed image (natural weighting)      [40]
  --coeffs a,b,...   regularization coefficients to compare by evidence    [0.3,1,3,10]
  --threads T        kernel threads (main + T−1 workers)                   [all cores]
  --budget-mb MB     kernel memory budget                                  [kernel default]
  --out DIR          where the PNGs go                                     [demo/out]
  --seed X           random seed (antennas, noise)                         [1]
  --oversample O     sub-pixels per side when simulating the lensed image  [4]
  --check-pixels P   pixels in the W̃ cross-check subset                    [128]
`;

function fail(message: string): never {
  throw new UsageError(message);
}

export class UsageError extends Error {}

function int(name: string, text: string | undefined, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return dflt;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min || v > max)
    fail(`--${name} must be an integer in [${min}, ${max}], got '${text}'`);
  return v;
}

function num(name: string, text: string | undefined, dflt: number, min: number): number {
  if (text === undefined) return dflt;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= min) fail(`--${name} must be a number > ${min}, got '${text}'`);
  return v;
}

const FLAGS = [
  'n',
  'k',
  's',
  'b',
  'pixel-scale',
  'mask-radius',
  'snr',
  'coeffs',
  'threads',
  'budget-mb',
  'out',
  'seed',
  'oversample',
  'check-pixels',
];

export function parseOptions(argv: string[]): DemoOptions | 'help' {
  const config: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const f of FLAGS) config[f] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, strict: true, options: config }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) return 'help';
  const str = (f: string): string | undefined => values[f] as string | undefined;

  const n = int('n', str('n'), 32, 4, 1024);
  const k = int('k', str('k'), 20000, 1);
  let sy: number, sx: number;
  const sText = str('s') ?? '400';
  const pair = /^(\d+)x(\d+)$/i.exec(sText);
  if (pair) {
    sy = Number(pair[1]);
    sx = Number(pair[2]);
  } else {
    const s = int('s', sText, 400, 4);
    sy = Math.max(2, Math.round(Math.sqrt(s)));
    sx = Math.max(2, Math.round(s / sy));
  }
  if (sy < 2 || sx < 2) fail(`--s needs at least 2 pixels per side, got ${sy}x${sx}`);
  const b = int('b', str('b'), 4, 3, 4) as 3 | 4;
  const pixelScaleArcsec = num('pixel-scale', str('pixel-scale'), 0.1, 0);
  const maskRadiusPixels = num('mask-radius', str('mask-radius'), 0.44 * n, 0);
  const snr = num('snr', str('snr'), 40, 0);
  const coefficients = (str('coeffs') ?? '0.3,1,3,10').split(',').map((t) => {
    const v = Number(t);
    if (!Number.isFinite(v) || v <= 0) fail(`--coeffs must be positive numbers separated by commas, got '${t}'`);
    return v;
  });
  const threadsText = str('threads');
  const threads = threadsText === undefined ? undefined : int('threads', threadsText, 1, 1, 256);
  const budgetText = str('budget-mb');
  const memoryBudgetBytes =
    budgetText === undefined ? undefined : Math.round(num('budget-mb', budgetText, 0, 0) * 2 ** 20);
  const out = str('out') ?? 'demo/out';
  const seed = int('seed', str('seed'), 1, 0, 2 ** 32 - 1);
  const oversample = int('oversample', str('oversample'), 4, 1, 16);
  const checkPixels = int('check-pixels', str('check-pixels'), 128, 1);
  return {
    n,
    k,
    sy,
    sx,
    b,
    pixelScaleArcsec,
    maskRadiusPixels,
    snr,
    coefficients,
    threads,
    memoryBudgetBytes,
    out,
    seed,
    oversample,
    checkPixels,
  };
}
