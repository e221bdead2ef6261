"""The DFT of bench/dft.ts in numpy, chunked over K so that each (M, chunk) block stays within the same
64 MiB budget lensc gets: re_k = sum_i I_i cos(phi_ik), im_k = -sum_i I_i sin(phi_ik),
phi_ik = 2 pi (x_i u_k + y_i v_k). Reads DIR/{image,x,y,u,v}.f64, writes DIR/numpy_{re,im}.f64, prints
{"median_s": ...} (median of REPEATS runs). Usage: python3 dft_numpy.py DIR REPEATS BUDGET_BYTES"""
import json
import sys
import time

import numpy as np

d, repeats, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
image, x, y, u, v = (np.fromfile(f'{d}/{n}.f64') for n in ('image', 'x', 'y', 'u', 'v'))
M, K = x.size, u.size
# the phase block and its cos (or sin): two (M, kc) f64 arrays
kc = max(1, budget // (2 * 8 * M))

def dft():
    re = np.empty(K)
    im = np.empty(K)
    for k0 in range(0, K, kc):
        k1 = min(K, k0 + kc)
        ph = 2 * np.pi * (np.outer(x, u[k0:k1]) + np.outer(y, v[k0:k1]))
        re[k0:k1] = image @ np.cos(ph)
        im[k0:k1] = -(image @ np.sin(ph))
    return re, im

times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    re, im = dft()
    times.append(time.perf_counter() - t0)
re.tofile(f'{d}/numpy_re.f64')
im.tofile(f'{d}/numpy_im.f64')
print(json.dumps({'median_s': float(np.median(times)), 'times': times, 'chunk': kc}))
