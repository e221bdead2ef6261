// @ts-check
// The radices a Stockham FFT of length n runs through — 4s first, then a 2, then odd primes in increasing
// order — shared by the JS FFT (backends/js/runtime/fft-core.js) and the WGSL one (routines/fft.js), so both
// plan the same stages. Plain JavaScript, no imports.

/** Radices of n (n ≥ 1; [] for n = 1), their product n. @param {number} n @returns {number[]} */
export function radices(n) {
  /** @type {number[]} */
  const rs = [];
  let m = n;
  while (m % 4 === 0) {
    rs.push(4);
    m /= 4;
  }
  if (m % 2 === 0) {
    rs.push(2);
    m /= 2;
  }
  for (let p = 3; p * p <= m; p += 2)
    while (m % p === 0) {
      rs.push(p);
      m /= p;
    }
  if (m > 1) rs.push(m);
  return rs;
}
