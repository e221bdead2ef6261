// demo/random.ts — a small seeded random number generator (uniform and Gaussian).
// The demo must draw the same antennas, noise and source every run with the same --seed, so that
// timings and evidence numbers are comparable between runs and machines; Math.random cannot be seeded.

/** A generator of uniform numbers in [0, 1) and standard normal numbers, from a 32-bit seed. */
export interface Random {
  uniform(): number;
  normal(): number;
}

/** mulberry32: tiny, fast, and good enough for simulation (not for cryptography). */
export function makeRandom(seed: number): Random {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box–Muller gives normals in pairs; keep the second one for the next call.
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u1 = 1 - uniform(); // (0, 1]: log(0) never happens
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}
