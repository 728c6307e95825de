// The shape of build/nabla-native.node (native/nabla_addon.cc) and the op codes it understands.
// The codes must match the enums in native/kernels.h; ops without a code run in JavaScript.
import type { Backend, BinaryOp, FloatArray, ReduceOp, UnaryGradOp, UnaryOp } from '../backend.js';

/** Bumped together with ABI_VERSION in native/nabla_addon.cc; a stale build is refused. */
export const NATIVE_ABI_VERSION = 2;

/** The kernels whose signature is the Backend's own; the op-coded ones take numbers for names. */
export interface NativeAddon extends Pick<Backend, 'gemm' | 'affine' | 'axpy' | 'adamStep' | 'dot' | 'select'> {
  readonly abiVersion: number;
  readonly hardwareThreads: number;
  unary(op: number, n: number, x: FloatArray, out: FloatArray, param: number): void;
  unaryGrad(op: number, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param: number): void;
  binary(op: number, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void;
  reduce(op: number, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void;
  /** Softmax over the last axis of an [outer, len] matrix (the inner = 1 case). */
  softmaxRows(outer: number, len: number, x: FloatArray, out: FloatArray, log: boolean): void;
  /** The instruction set in use: 'avx512' | 'avx2' | 'generic'. */
  isa(): string;
  /** Switches instruction set; false if this CPU or build cannot run it. */
  setIsa(name: string): boolean;
  /** At most `threads` threads per GEMM, used from `minMacs` multiply-adds up. */
  setThreads(threads: number, minMacs?: number): void;
  threads(): number;
}

export const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, square: 2, relu: 3, heaviside: 4, leakyRelu: 5, exp: 6, tanh: 7, sigmoid: 8,
  sqrt: 9, reciprocal: 10, sign: 11, gelu: 12,
};

export const UNARY_GRAD_CODES: Partial<Record<UnaryGradOp, number>> = {
  relu: 0, sigmoid: 1, tanh: 2, leakyRelu: 3, gelu: 4,
};

export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, eq: 6, ne: 7, lt: 8, le: 9, gt: 10, ge: 11,
};

export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };
