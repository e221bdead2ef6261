// demo/lens.ts — the lens: a singular isothermal ellipsoid (SIE) plus external shear, and ray tracing
// of image-plane positions to the source plane (β = θ − α(θ)).
// Positions here are (y, x) pairs in arcseconds, like PyAutoLens's grids; the kernels want radians, and
// the conversion happens once, in dataset.ts. The SIE deflection follows PyAutoLens's Isothermal profile
// (Kormann et al. 1994 / Keeton 2001) so that the numbers mean what a PyAutoLens user expects.

export interface LensModel {
  /** Einstein radius θ_E (arcsec). */
  einsteinRadius: number;
  /** Minor/major axis ratio q of the mass, 0 < q ≤ 1. */
  axisRatio: number;
  /** Position angle of the major axis, counter-clockwise from +x (degrees). */
  angleDeg: number;
  /** Centre (y, x) in arcsec. */
  centre: [number, number];
  /** External shear (γ₁, γ₂). */
  shear: [number, number];
}

/** Deflection (α_y, α_x) in arcsec at (y, x) arcsec. */
export function deflection(lens: LensModel, y: number, x: number): [number, number] {
  const phi = (lens.angleDeg * Math.PI) / 180;
  const cp = Math.cos(phi),
    sp = Math.sin(phi);
  // Into the frame where the major axis is along x'.
  const dy = y - lens.centre[0],
    dx = x - lens.centre[1];
  const xr = cp * dx + sp * dy;
  const yr = -sp * dx + cp * dy;
  let ax: number, ay: number;
  const q = lens.axisRatio;
  const r = Math.hypot(xr, yr);
  if (r < 1e-12) {
    // The isothermal deflection has magnitude ≈ θ_E everywhere but no direction at the centre; a
    // position exactly there is sent straight through rather than producing NaN.
    ax = 0;
    ay = 0;
  } else if (q > 0.9999) {
    // Sphere: |α| = θ_E, radial. (The SIE formula below is 0/0 at q = 1.)
    ax = (lens.einsteinRadius * xr) / r;
    ay = (lens.einsteinRadius * yr) / r;
  } else {
    // PyAutoLens Isothermal: θ_E rescaled by 1/(1+q) (slope 2), factor 2·θ_E'·q/√(1−q²).
    const s = Math.sqrt(1 - q * q);
    const factor = (2 * (lens.einsteinRadius / (1 + q)) * q) / s;
    const psi = Math.sqrt(q * q * xr * xr + yr * yr);
    ax = factor * Math.atan((s * xr) / psi);
    ay = factor * Math.atanh((s * yr) / psi);
  }
  // Back to the sky frame.
  const axSky = cp * ax - sp * ay;
  const aySky = sp * ax + cp * ay;
  // External shear, from the potential ψ = ½γ₁(x² − y²) + γ₂xy about the lens centre.
  const [g1, g2] = lens.shear;
  return [aySky + g2 * dx - g1 * dy, axSky + g1 * dx + g2 * dy];
}

/**
 * Ray-trace (y, x) pairs (arcsec, flat length 2n) to the source plane; returns a new (y, x) array.
 */
export function traceToSource(lens: LensModel, imagePlane: Float64Array): Float64Array {
  const out = new Float64Array(imagePlane.length);
  for (let i = 0; i < imagePlane.length; i += 2) {
    const y = imagePlane[i],
      x = imagePlane[i + 1];
    const [ay, ax] = deflection(lens, y, x);
    out[i] = y - ay;
    out[i + 1] = x - ax;
  }
  return out;
}
