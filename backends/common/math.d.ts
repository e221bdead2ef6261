// Types of backends/common/math.js ('lensc/runtime/math').
import type { UnaryFn } from '../../compiler/ir/graph.ts';
export declare function erf(x: number): number;
export declare function erfc(x: number): number;
export declare function lgamma(x: number): number;
export declare function round(x: number): number;
export declare const UNARY_F64: Readonly<Record<UnaryFn, (x: number) => number>>;
