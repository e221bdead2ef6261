// The standard library: the interferometer likelihood's terms as lensc kernels.
export * from './w_tilde.ts';
