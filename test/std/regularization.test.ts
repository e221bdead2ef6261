// regularizationConstant on the JS backend (committed kernels/js module) against a brute-force loop:
// H_ii = 1e-8 + c²·n_i, H_ij −= c² per listed neighbour, on random symmetric neighbour graphs
// (up to P = 6 neighbours, −1 padded); slots past neighborsSizes[i] are ignored; H is the graph
// Laplacian times c² plus 1e-8·I, so symmetric with rows summing to 1e-8.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { regularizationConstant } from '../../kernels/js/regularization_constant.js';
import { relErr } from '../helpers/random.ts';
import { randomNeighbours, regularizationRef, type Neighbours } from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const graphs: [string, Neighbours, number][] = [
  ['S = 37, P = 6, c = 1.7', randomNeighbours(37, 6, 1), 1.7],
  ['S = 101, P = 6, c = 0.3', randomNeighbours(101, 6, 2), 0.3],
  ['S = 5, P = 3, c = 12', randomNeighbours(5, 3, 3), 12],
];

describe('regularizationConstant vs brute force', () => {
  it.each(graphs)('%s', async (_label, nb, coefficient) => {
    expect(nb.neighborsSizes.some((n) => n < nb.P)).toBe(true); // −1 padding present
    const want = regularizationRef(coefficient, nb);
    const H = await regularizationConstant({
      coefficient,
      neighbors: nb.neighbors,
      neighborsSizes: nb.neighborsSizes,
      sourcePixels: nb.S,
    });
    expect(H).toHaveLength(nb.S * nb.S);
    expect(relErr(H, want)).toBeLessThan(1e-14);
    const c2 = coefficient ** 2;
    for (let i = 0; i < nb.S; i++) {
      let row = 0;
      for (let j = 0; j < nb.S; j++) {
        row += H[i * nb.S + j]!;
        expect(H[i * nb.S + j]).toBe(H[j * nb.S + i]);
      }
      expect(Math.abs(row - 1e-8)).toBeLessThan(1e-14 * c2 * nb.P);
    }
  });

  it('ignores slots past neighborsSizes[i] even when they are not −1', async () => {
    const nb = randomNeighbours(37, 6, 4);
    const junk = Int32Array.from(nb.neighbors, (j, n) =>
      n % nb.P >= nb.neighborsSizes[Math.floor(n / nb.P)]! ? (n * 7) % nb.S : j,
    );
    const H = await regularizationConstant({
      coefficient: 2,
      neighbors: junk,
      neighborsSizes: nb.neighborsSizes,
      sourcePixels: nb.S,
    });
    expect(relErr(H, regularizationRef(2, nb))).toBeLessThan(1e-14);
  });

  it('names the input with the wrong length', async () => {
    const nb = randomNeighbours(37, 6, 5);
    await expect(
      regularizationConstant({
        coefficient: 1,
        neighbors: nb.neighbors,
        neighborsSizes: nb.neighborsSizes.subarray(1),
        sourcePixels: nb.S,
      }),
    ).rejects.toThrow(/input '(neighborsSizes|neighbors)'/);
    await expect(
      regularizationConstant({
        coefficient: 1,
        neighbors: nb.neighbors.subarray(1),
        neighborsSizes: nb.neighborsSizes,
        sourcePixels: nb.S,
      }),
    ).rejects.toThrow(/input 'neighbors'/);
  });
});
