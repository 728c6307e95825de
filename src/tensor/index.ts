// The tensor layer's public surface: the class, creation functions and every op.
import './methods.js';
export { Tensor, type DType, type TensorLike, type NestedArray } from './tensor.js';
export * from './creation.js';
export * from './ops/elementwise.js';
export { activate, silu } from './ops/activation.js';
export { sum, mean, max, min, argmax, argmin } from './ops/reduce.js';
export {
  reshape, transpose, broadcastTo, reduceTo, unsqueeze, squeeze, gather, scatterAdd, indexSelect,
  slice, concat, stack, cast, type SliceSpec,
} from './ops/movement.js';
export { matmul, matmulT, type MatmulOptions } from './ops/matmul.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { linear } from './ops/linear.js';
export { type Shape } from './shape.js';
