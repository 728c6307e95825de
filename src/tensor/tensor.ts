// Tensor: a shape, a dtype and a contiguous row-major typed array, plus the autograd fields.
// Methods are thin aliases of the functions in ./ops so that `x.matmul(w).add(b).relu()` reads
// like PyTorch; the functions are the real definitions.
import type { FloatArray } from '../backend/backend.js';
import type { GradNode } from './tape.js';
import { ShapeError } from '../errors.js';
import { fmt, sizeOf, type Shape } from './shape.js';
import type * as Elementwise from './ops/elementwise.js';
import type * as Reduce from './ops/reduce.js';
import type * as Movement from './ops/movement.js';
import type { matmul } from './ops/matmul.js';
import type { logSoftmax, softmax } from './ops/softmax.js';
import type { backward, BackwardOptions } from '../autograd/backward.js';
import { NablaError } from '../errors.js';
import { formatTensor } from './format.js';

export type DType = 'float32' | 'float64';

/**
 * What the chained methods call. tensor/methods.ts binds the ops (creation.ts and tensor/index.ts
 * load it), autograd/backward.ts binds backward: the ops import Tensor, so Tensor cannot import them.
 */
export interface TensorMethodOps {
  el: typeof Elementwise;
  red: typeof Reduce;
  mv: typeof Movement;
  matmul: typeof matmul;
  softmax: typeof softmax;
  logSoftmax: typeof logSoftmax;
  backward: typeof backward;
}

const bound: Partial<TensorMethodOps> = {};

export function bindTensorMethods(ops: Partial<TensorMethodOps>): void {
  Object.assign(bound, ops);
}

function op<K extends keyof TensorMethodOps>(k: K): TensorMethodOps[K] {
  const f = bound[k];
  if (!f) throw new NablaError(`Tensor.${k === 'backward' ? 'backward' : k} is not bound yet: import nabla (or its tensor/autograd modules) before calling tensor methods`);
  return f as TensorMethodOps[K];
}
export type TensorLike = Tensor | number;

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

// Small arrays are carved out of shared slabs. V8 gives every typed array over 64 bytes its own
// off-heap backing store, which costs ~0.6 µs; a view into a slab costs ~0.04 µs, and a small
// network's training step makes dozens of such arrays. Slab memory is never reused (bump
// allocation only), so a fresh view is zero-filled like `new Float32Array(n)`; a slab is freed
// by the garbage collector once no view into it is alive, so it can keep at most SLAB_BYTES alive
// per surviving small tensor.
const SLAB_BYTES = 1 << 17;
const SLAB_MAX_BYTES = 1 << 13;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

export function allocate(dtype: DType, n: number): FloatArray {
  const width = dtype === 'float64' ? 8 : 4;
  const bytes = n * width;
  if (bytes <= 64 || bytes > SLAB_MAX_BYTES) return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (slabUsed + bytes > SLAB_BYTES) { slab = new ArrayBuffer(SLAB_BYTES); slabUsed = 0; }
  const out = dtype === 'float64' ? new Float64Array(slab, slabUsed, n) : new Float32Array(slab, slabUsed, n);
  slabUsed += (bytes + 15) & ~15; // 16-byte aligned for SIMD loads
  return out;
}

export type NestedArray = number | NestedArray[];

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  /**
   * The values, row-major and contiguous. Writing to it bypasses autograd (like torch's .data).
   * It may be a view into a larger buffer: use byteOffset/byteLength with `.data.buffer`.
   */
  data: FloatArray;
  /** Whether gradients flow to this tensor; set on leaves by the user, on op outputs by the tape. */
  requiresGrad = false;
  /** ∂L/∂this after backward(): on leaves, and on non-leaves that called retainGrad(). */
  grad: Tensor | null = null;
  /** The op that made this tensor (null for leaves). */
  node: GradNode | null = null;
  /** Optional label shown by graph exports and explain. */
  name?: string;
  /** Keep .grad on this non-leaf after backward (torch's retain_grad). */
  retainsGrad = false;
  /** Set on outputs of ops that have no gradient (argmax, comparisons), for clearer errors. */
  nonDifferentiableOp?: string;

  constructor(data: FloatArray, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`tensor: ${data.length} values do not fill shape ${fmt(shape)}`);
    }
    this.data = data;
    // A shape that is already frozen (another tensor's, as most ops pass) is shared, not copied.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
  }

  get size(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }
  get isLeaf(): boolean { return this.node === null; }
  /** Transpose of the last two axes (a vector is returned unchanged, as in NumPy). */
  get T(): Tensor { return this.ndim < 2 ? this : op('mv').transpose(this); }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor of shape ${fmt(this.shape)} has ${this.size} values, not 1`);
    return this.data[0];
  }

  /** Nested JavaScript arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const d = this.data, shape = this.shape;
    if (shape.length === 0) return d[0];
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === shape.length - 1 ? d[offset + i] : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** A new leaf sharing nothing with the graph (values are copied so later in-place updates stay separate). */
  detach(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** Mark as a leaf that wants gradients (in place, returns this). */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /** Reverse-mode autodiff from this tensor. A non-scalar needs a gradOutput of its shape (torch: gradient). */
  backward(gradOutput?: Tensor, opts?: BackwardOptions): void {
    op('backward')(this, gradOutput, opts);
  }

  /** The values as PyTorch prints them: `tensor([[1., 2.], [3., 4.]])` (see ./format.ts). */
  toString(): string {
    return formatTensor(this);
  }

  /** console.log(t) and util.inspect(t) print the values (Node looks this symbol up; browsers ignore it). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // --- chained aliases of the op functions -------------------------------------------------
  add(b: TensorLike): Tensor { return op('el').add(this, b); }
  sub(b: TensorLike): Tensor { return op('el').sub(this, b); }
  mul(b: TensorLike): Tensor { return op('el').mul(this, b); }
  div(b: TensorLike): Tensor { return op('el').div(this, b); }
  pow(b: TensorLike): Tensor { return op('el').pow(this, b); }
  maximum(b: TensorLike): Tensor { return op('el').maximum(this, b); }
  minimum(b: TensorLike): Tensor { return op('el').minimum(this, b); }
  eq(b: TensorLike): Tensor { return op('el').eq(this, b); }
  ne(b: TensorLike): Tensor { return op('el').ne(this, b); }
  lt(b: TensorLike): Tensor { return op('el').lt(this, b); }
  le(b: TensorLike): Tensor { return op('el').le(this, b); }
  gt(b: TensorLike): Tensor { return op('el').gt(this, b); }
  ge(b: TensorLike): Tensor { return op('el').ge(this, b); }
  neg(): Tensor { return op('el').neg(this); }
  exp(): Tensor { return op('el').exp(this); }
  log(): Tensor { return op('el').log(this); }
  sqrt(): Tensor { return op('el').sqrt(this); }
  abs(): Tensor { return op('el').abs(this); }
  square(): Tensor { return op('el').square(this); }
  sin(): Tensor { return op('el').sin(this); }
  cos(): Tensor { return op('el').cos(this); }
  tanh(): Tensor { return op('el').tanh(this); }
  sigmoid(): Tensor { return op('el').sigmoid(this); }
  relu(): Tensor { return op('el').relu(this); }
  softplus(): Tensor { return op('el').softplus(this); }
  heaviside(): Tensor { return op('el').heaviside(this); }
  clamp(min?: number, max?: number): Tensor { return op('el').clamp(this, min, max); }
  matmul(b: Tensor): Tensor { return op('matmul')(this, b); }
  sum(axis?: number | number[], keepdims = false): Tensor { return op('red').sum(this, axis, keepdims); }
  mean(axis?: number | number[], keepdims = false): Tensor { return op('red').mean(this, axis, keepdims); }
  max(axis?: number, keepdims = false): Tensor { return op('red').max(this, axis, keepdims); }
  min(axis?: number, keepdims = false): Tensor { return op('red').min(this, axis, keepdims); }
  argmax(axis?: number, keepdims = false): Tensor { return op('red').argmax(this, axis, keepdims); }
  argmin(axis?: number, keepdims = false): Tensor { return op('red').argmin(this, axis, keepdims); }
  softmax(axis = -1): Tensor { return op('softmax')(this, axis); }
  logSoftmax(axis = -1): Tensor { return op('logSoftmax')(this, axis); }
  reshape(...shape: number[] | [number[]]): Tensor {
    return op('mv').reshape(this, Array.isArray(shape[0]) ? shape[0] : (shape as number[]));
  }
  flatten(): Tensor { return op('mv').reshape(this, [this.size]); }
  transpose(...axes: number[]): Tensor { return op('mv').transpose(this, axes.length ? axes : undefined); }
  slice(...specs: Movement.SliceSpec[]): Tensor { return op('mv').slice(this, specs); }
  gather(indices: Tensor, axis = -1): Tensor { return op('mv').gather(this, indices, axis); }
  broadcastTo(shape: Shape): Tensor { return op('mv').broadcastTo(this, shape); }
  /** A copy in another dtype (like torch's .to(dtype)); gradients flow back. */
  to(dtype: DType): Tensor { return op('mv').cast(this, dtype); }
}
