#!/usr/bin/env python3
"""Generates test/wgsl-df64/fixtures/special.json: inputs and mpmath values (40 digits) for the df64 erf,
erfc and lgamma of the WGSL target (backends/wgsl/df64/special.ts), tested by test/wgsl-df64/special.test.ts.
Run: python3 scripts/math/gen_df64_fixture.py (needs mpmath and numpy).

Every input is a df64 pair (hi, lo) of f32 — stored as the two f32 values, so the shader sees exactly the
number mpmath evaluates (hi + lo, exact in mpmath). Each case also stores the condition number
kappa = |x f'(x) / f(x)| (how much a relative perturbation of x moves f, relatively), which the test uses
for the ill-conditioned stretches (lgamma next to its negative roots). Domains, per function:
  erf:    [-6.5, 6.5]; |x| log-uniform in [1e-30, 0.5] (both signs); [3, 6] and [-6, -3] (tails)
  erfc:   [-6, 10.5]; [4, 8.1] (results down to 1e-30); [8.1, 10] (f32 subnormal range)
  lgamma: (0, 0.5) log-uniform from 1e-30; [0.5, 10]; 1 +- 10^-k and 2 +- 10^-k (k = 1..13);
          [10, 1e30] log-uniform; negative non-integers in (-30, 0), some within 10^-k of an integer
"""
import json
import os
import random

import mpmath as mp
import numpy as np

mp.mp.dps = 40
rng = random.Random(20261201)


def pair(x):
    hi = np.float32(x)
    lo = np.float32(x - float(hi))
    return float(hi), float(lo)


def loguni(a, b):
    return 10 ** rng.uniform(np.log10(a), np.log10(b))


def cases_erf():
    xs = [rng.uniform(-6.5, 6.5) for _ in range(300)]
    xs += [s * loguni(1e-30, 0.5) for s in (1, -1) for _ in range(60)]
    xs += [s * rng.uniform(3, 6) for s in (1, -1) for _ in range(40)]
    xs += [0.5, -0.5, 1, 2, 4, 6, -6, 0.49999, 0.50001]
    return xs


def cases_erfc():
    xs = [rng.uniform(-6, 10.5) for _ in range(300)]
    xs += [rng.uniform(4, 8.1) for _ in range(100)]
    xs += [rng.uniform(8.1, 10) for _ in range(40)]
    xs += [0.5, -0.5, 1, 2, 4, -4, 0.49999, 0.50001, -0.50001]
    return xs


def cases_lgamma():
    xs = [loguni(1e-30, 0.5) for _ in range(60)]
    xs += [rng.uniform(0.5, 10) for _ in range(200)]
    xs += [c + s * rng.uniform(1, 10) * 10.0 ** -k for c in (1, 2) for s in (1, -1) for k in range(1, 14)]
    xs += [loguni(10, 1e30) for _ in range(100)]
    xs += [-rng.uniform(0, 30) for _ in range(150)]
    xs += [-(rng.randint(0, 29) + s * 10.0 ** -rng.uniform(1, 8)) for s in (1, -1) for _ in range(30)]
    xs += [0.5, 1.5, 2.5, 3, 4, 10, 1, 2, -0.5, -2.5]
    return [x for x in xs if x != 0 and not (x < 0 and float(x).is_integer())]


FUNS = {
    'erf': (cases_erf, mp.erf, lambda x: 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    'erfc': (cases_erfc, mp.erfc, lambda x: -2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    'lgamma': (cases_lgamma, lambda x: mp.log(abs(mp.gamma(x))), mp.digamma),
}


def main():
    out = {'generator': 'scripts/math/gen_df64_fixture.py (mpmath, 40 digits)'}
    for name, (cases, f, df) in FUNS.items():
        rows = []
        for x in cases():
            hi, lo = pair(x)
            xe = mp.mpf(hi) + mp.mpf(lo)
            v = f(xe)
            kappa = abs(xe * df(xe) / v) if v != 0 else mp.inf
            rows.append([hi, lo, float(v), float(min(kappa, mp.mpf(1e300)))])
        out[name] = rows
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'wgsl-df64', 'fixtures', 'special.json')
    with open(path, 'w') as fh:
        json.dump(out, fh, separators=(',', ':'))
        fh.write('\n')
    print('wrote', os.path.normpath(path), {k: len(v) for k, v in out.items() if k != 'generator'})


if __name__ == '__main__':
    main()
