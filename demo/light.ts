// demo/light.ts — the true source's surface brightness: an elliptical Sérsic bulge plus a compact,
// off-centre Gaussian knot.
// The knot matters: it makes the source asymmetric, so a reconstruction that came out mirrored (a sign
// error between the forward model and the dirty image) cannot correlate well with the truth by accident.

export interface SersicProfile {
  kind: 'sersic';
  centre: [number, number]; // (y, x) arcsec
  axisRatio: number;
  angleDeg: number;
  effectiveRadius: number; // arcsec
  sersicIndex: number;
  intensity: number; // surface brightness at the effective radius
}

export interface GaussianProfile {
  kind: 'gaussian';
  centre: [number, number];
  sigma: number; // arcsec
  intensity: number; // peak surface brightness
}

export type LightProfile = SersicProfile | GaussianProfile;

/** Elliptical radius √(q·x'² + y'²/q) in the frame of a profile's major axis (PyAutoLens convention). */
function ellipticalRadius(p: SersicProfile, y: number, x: number): number {
  const phi = (p.angleDeg * Math.PI) / 180;
  const dy = y - p.centre[0],
    dx = x - p.centre[1];
  const xr = Math.cos(phi) * dx + Math.sin(phi) * dy;
  const yr = -Math.sin(phi) * dx + Math.cos(phi) * dy;
  return Math.sqrt(p.axisRatio * xr * xr + (yr * yr) / p.axisRatio);
}

/** Ciotti & Bertin's asymptotic b_n, accurate to < 1e-4 for n > 0.36. */
function sersicB(n: number): number {
  return 2 * n - 1 / 3 + 4 / (405 * n) + 46 / (25515 * n * n);
}

/** Surface brightness of one profile at (y, x) arcsec. */
export function brightness(p: LightProfile, y: number, x: number): number {
  if (p.kind === 'gaussian') {
    const r2 = (y - p.centre[0]) ** 2 + (x - p.centre[1]) ** 2;
    return p.intensity * Math.exp(-r2 / (2 * p.sigma * p.sigma));
  }
  const r = ellipticalRadius(p, y, x);
  const b = sersicB(p.sersicIndex);
  return p.intensity * Math.exp(-b * (Math.pow(r / p.effectiveRadius, 1 / p.sersicIndex) - 1));
}

/** Total surface brightness of several profiles at (y, x). */
export function totalBrightness(profiles: readonly LightProfile[], y: number, x: number): number {
  let s = 0;
  for (const p of profiles) s += brightness(p, y, x);
  return s;
}
