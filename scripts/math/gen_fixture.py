#!/usr/bin/env python3
"""Writes test/math/fixtures/reference.json: the math functions of lensc at fixed points, computed with
mpmath at 60 digits and rounded once to f64 (a correctly rounded reference, independent of any formula
lensc uses). Run: python3 scripts/math/gen_fixture.py (needs mpmath). Points: seeded random draws over
each function's domain (log-uniform where the range is wide) plus edge points (roots, branch points,
the boundaries of lensc's piecewise approximations)."""
import json
import os
import random

import mpmath as mp

mp.mp.dps = 60
rnd = random.Random(20261201)

def uni(lo, hi, n):
    return [rnd.uniform(lo, hi) for _ in range(n)]

def logu(lo, hi, n, signed=False):
    out = []
    for _ in range(n):
        v = 10 ** rnd.uniform(mp.log10(lo), mp.log10(hi))
        out.append(float(v) * (rnd.choice([-1, 1]) if signed else 1))
    return out

def f64(v):
    return float(mp.mpf(v))

def lgamma(x):
    return mp.log(abs(mp.gamma(x))) if x < 0 else mp.loggamma(x)

EDGES = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0]
near = [e + d for e in EDGES for d in (-1e-9, 1e-9, -2**-40, 2**-40)]

UNARY = {
    'tan': (mp.tan, uni(-1.5, 1.5, 120) + logu(1e-8, 1, 30, True)),
    'asin': (mp.asin, uni(-1, 1, 120) + logu(1e-8, 1, 30, True)),
    'acos': (mp.acos, uni(-1, 1, 150)),
    'atan': (mp.atan, uni(-10, 10, 100) + logu(1e-8, 1e8, 50, True)),
    'sinh': (mp.sinh, uni(-5, 5, 100) + logu(1e-8, 700, 50, True)),
    'cosh': (mp.cosh, uni(-5, 5, 100) + logu(1e-8, 700, 50, True)),
    'tanh': (mp.tanh, uni(-5, 5, 100) + logu(1e-8, 30, 50, True)),
    'asinh': (mp.asinh, uni(-5, 5, 100) + logu(1e-8, 1e300, 50, True)),
    'acosh': (mp.acosh, uni(1, 5, 100) + [1 + v for v in logu(1e-12, 1, 30)] + logu(1, 1e300, 20)),
    'atanh': (mp.atanh, uni(-0.999, 0.999, 120) + logu(1e-8, 0.9999, 30, True)),
    'log1p': (mp.log1p, uni(-0.99, 3, 100) + logu(1e-12, 0.99, 25, True) + logu(1e-12, 1e10, 25)),
    'expm1': (mp.expm1, uni(-3, 3, 100) + logu(1e-12, 700, 50, True)),
    'erf': (mp.erf, uni(-4, 4, 200) + logu(1e-10, 6.5, 100, True) + near[:24] + [-x for x in near[:24]]),
    'erfc': (mp.erfc, uni(-6, 27, 250) + logu(1e-10, 27, 100) + near + [-x for x in near[:24]]),
    'lgamma': (lgamma, logu(1e-6, 1e6, 200) + uni(0.1, 12, 150) + [x for x in near if x > 0] + logu(1e6, 1e300, 20)
               + [v for v in uni(-20, -0.01, 80) if abs(v - round(v)) > 1e-3]),
}
BINARY = {
    'atan2': (mp.atan2, [(rnd.uniform(-3, 3), rnd.uniform(-3, 3)) for _ in range(150)]),
    'hypot': (lambda a, b: mp.sqrt(mp.mpf(a) ** 2 + mp.mpf(b) ** 2),
              [(rnd.uniform(-3, 3), rnd.uniform(-3, 3)) for _ in range(100)] + [(a, b) for a, b in zip(logu(1e-200, 1e200, 50, True), logu(1e-200, 1e200, 50, True))]),
}

def main():
    out = {'generator': 'scripts/math/gen_fixture.py', 'mpmath': mp.__version__, 'digits': mp.mp.dps, 'unary': {}, 'binary': {}}
    for name, (f, xs) in UNARY.items():
        out['unary'][name] = [[x, f64(f(mp.mpf(x)))] for x in xs]
    for name, (f, ps) in BINARY.items():
        out['binary'][name] = [[a, b, f64(f(mp.mpf(a), mp.mpf(b)))] for a, b in ps]
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'math', 'fixtures', 'reference.json')
    with open(path, 'w') as fh:
        json.dump(out, fh, separators=(',', ':'))
    print('wrote', os.path.normpath(path), sum(len(v) for v in out['unary'].values()) + sum(len(v) for v in out['binary'].values()), 'points')

if __name__ == '__main__':
    main()
