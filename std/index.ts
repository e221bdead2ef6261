// The standard library: the interferometer likelihood's terms as lensc kernels.
export * from './w_tilde.ts';
export * from './preload.ts';
export * from './preload_nufft.ts';
export * from './preload_routes.ts';
export * from './curvature.ts';
export * from './curvature_fft.ts';
export * from './curvature_routes.ts';
export * from './dirty_image.ts';
export * from './regularization.ts';
export * from './log_evidence.ts';
export * from './w_tilde_scan.ts';
export * from './w_tilde_pixels.ts';
