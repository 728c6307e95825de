// Op names → the integer codes the WASM kernels switch on (see assembly/elementwise.as, reduce.as).
import type { BinaryOp, ReduceOp, UnaryGradOp, UnaryOp } from '../backend.js';

export const UNARY_CODES: Record<UnaryOp, number> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, sign: 5, square: 6, reciprocal: 7, sin: 8, cos: 9,
  tanh: 10, sigmoid: 11, relu: 12, softplus: 13, heaviside: 14, leakyRelu: 15, elu: 16, gelu: 17,
};

export const UNARY_GRAD_CODES: Record<UnaryGradOp, number> = {
  relu: 0, sigmoid: 1, tanh: 2, leakyRelu: 3, elu: 4, gelu: 5, softplus: 6,
};

export const BINARY_CODES: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  eq: 7, ne: 8, lt: 9, le: 10, gt: 11, ge: 12,
};

export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };
