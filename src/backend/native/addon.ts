// The shape of build/nabla-native.node (native/nabla_addon.cc) and the op codes it understands.
import { kernelCodes } from '../../ops/index.js';
import { REDUCE_CODES, type Backend, type FloatArray } from '../backend.js';

/** Bumped together with ABI_VERSION in native/nabla_addon.cc; a stale build is refused. */
export const NATIVE_ABI_VERSION = 5;

/** The kernels whose signature is the Backend's own; the op-coded ones take numbers for names. */
export interface NativeAddon extends Pick<Backend, 'gemm' | 'affine' | 'axpy' | 'adamStep' | 'dot' | 'select'>, Required<Pick<Backend, 'softmaxCrossEntropy'>> {
  readonly abiVersion: number;
  readonly hardwareThreads: number;
  unary(op: number, n: number, x: FloatArray, out: FloatArray, param: number): void;
  unaryGrad(op: number, n: number, v: FloatArray, g: FloatArray, out: FloatArray, param: number): void;
  binary(op: number, n: number, a: FloatArray, b: FloatArray, out: FloatArray): void;
  reduce(op: number, outer: number, len: number, inner: number, x: FloatArray, out: FloatArray): void;
  /** Softmax over the last axis of an [outer, len] matrix (the inner = 1 case). */
  softmaxRows(outer: number, len: number, x: FloatArray, out: FloatArray, log: boolean): void;
  /** One SGD step with momentum in place (Backend.sgdMomentumStep). */
  sgdMomentum(n: number, w: FloatArray, g: FloatArray, buf: FloatArray, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean): void;
  /** The instruction set in use: 'avx512' | 'avx2' | 'generic'. */
  isa(): string;
  /** Switches instruction set; false if this CPU or build cannot run it. */
  setIsa(name: string): boolean;
  /** At most `threads` threads per GEMM, used from `minMacs` multiply-adds up. */
  setThreads(threads: number, minMacs?: number): void;
  threads(): number;
  /** The size (m·n·k multiply-adds) from which a GEMM uses more than one thread. */
  threadMinMacs(): number;
  /**
   * C = epilogue(op(A)·op(B)) (Backend.gemmFused, with the ops as codes: act from UNARY_CODES,
   * grad from UNARY_GRAD_CODES, −1 for none; null for an absent array).
   */
  gemmFused(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    a: FloatArray, aOffset: number, lda: number,
    b: FloatArray, bOffset: number, ldb: number,
    c: FloatArray, cOffset: number, ldc: number,
    bias: FloatArray | null, preact: FloatArray | null, act: number, actParam: number,
    grad: number, gradParam: number, v: FloatArray | null,
  ): void;
  /** The GEMM register tiles of the current instruction set ("<MR>x<NV>v"), its default first. */
  gemmTiles(): string[];
  /** The register tile and cache blocking the current instruction set uses. */
  gemmConfig(): GemmConfig;
  /** Sets them for the current instruction set; false (nothing changed) if the tile is not one of gemmTiles() or a size is out of range. */
  setGemmConfig(tile: string, kcBytes: number, mcBytes: number, nc: number, aInPlace: boolean): boolean;
}

/** A GEMM register tile and its cache blocking (see native/nabla_addon.cc, GemmConfig). */
export interface GemmConfig {
  tile: string;
  /** Bytes of the kc×NR micro-panel of B kept in L1 (sets kc). */
  kcBytes: number;
  /** Bytes of the packed mc×kc block of A kept in L2 (sets mc). */
  mcBytes: number;
  /** Columns of B packed at once. */
  nc: number;
  /** The micro-kernels read op(A) where it lies (true) or from packed panels (false). */
  aInPlace: boolean;
}

// The registry's codes for the kernels compiled into the addon (native/kernels.h's enums use the
// same numbers; test/ops/kernel-codes.test.ts checks it). Ops without a code here run in JavaScript.
export const UNARY_CODES = kernelCodes('unary', 'native');
export const UNARY_GRAD_CODES = kernelCodes('unaryGrad', 'native');
export const BINARY_CODES = kernelCodes('binary', 'native');
export { REDUCE_CODES };
