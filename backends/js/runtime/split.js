// @ts-check
// split.js — how parallelFor cuts [lo, hi) into contiguous pieces of (roughly) equal cost.

/**
 * Piece boundaries: an array b with b[0] = lo, b[pieces] = hi, non-decreasing.
 * cost 'uniform': every index costs the same. cost 'triangular': index i costs (i - lo + 1), as row i of a
 * lower triangle does (e.g. `for i in range: for j <= i`), so later pieces are shorter.
 * @param {number} lo @param {number} hi @param {number} pieces @param {'uniform'|'triangular'} cost
 * @returns {number[]}
 */
export function splitRange(lo, hi, pieces, cost) {
  const n = hi - lo;
  const b = [lo];
  for (let p = 1; p < pieces; p++) {
    let x;
    if (cost === 'triangular') {
      // Cumulative cost of the first x indices is x(x+1)/2; solve for the p/pieces fraction of the total.
      const target = ((n * (n + 1)) / 2) * (p / pieces);
      x = Math.round((Math.sqrt(1 + 8 * target) - 1) / 2);
    } else {
      x = Math.round((n * p) / pieces);
    }
    b.push(Math.min(hi, Math.max(b[p - 1], lo + x)));
  }
  b.push(hi);
  return b;
}
