// Tensor: a shape, a dtype and a contiguous row-major typed array, plus the autograd fields.
// Methods are thin aliases of the functions in ./ops so that `x.matmul(w).add(b).relu()` reads
// like PyTorch; the functions are the real definitions.
import type { FloatArray } from '../backend/backend.js';
import type { GradNode } from '../autograd/graph.js';
import { ShapeError } from '../errors.js';
import { fmt, sizeOf, type Shape } from './shape.js';
import { formatTensor } from './format.js';
import * as el from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as mv from './ops/movement.js';
import { matmul } from './ops/matmul.js';
import { softmax, logSoftmax } from './ops/softmax.js';
import { backward, type BackwardOptions } from '../autograd/backward.js';

export type DType = 'float32' | 'float64';
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
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
  }

  get size(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }
  get isLeaf(): boolean { return this.node === null; }
  /** Transpose of the last two axes (a vector is returned unchanged, as in NumPy). */
  get T(): Tensor { return this.ndim < 2 ? this : mv.transpose(this); }

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
    backward(this, gradOutput, opts);
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
  add(b: TensorLike): Tensor { return el.add(this, b); }
  sub(b: TensorLike): Tensor { return el.sub(this, b); }
  mul(b: TensorLike): Tensor { return el.mul(this, b); }
  div(b: TensorLike): Tensor { return el.div(this, b); }
  pow(b: TensorLike): Tensor { return el.pow(this, b); }
  maximum(b: TensorLike): Tensor { return el.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return el.minimum(this, b); }
  eq(b: TensorLike): Tensor { return el.eq(this, b); }
  ne(b: TensorLike): Tensor { return el.ne(this, b); }
  lt(b: TensorLike): Tensor { return el.lt(this, b); }
  le(b: TensorLike): Tensor { return el.le(this, b); }
  gt(b: TensorLike): Tensor { return el.gt(this, b); }
  ge(b: TensorLike): Tensor { return el.ge(this, b); }
  neg(): Tensor { return el.neg(this); }
  exp(): Tensor { return el.exp(this); }
  log(): Tensor { return el.log(this); }
  sqrt(): Tensor { return el.sqrt(this); }
  abs(): Tensor { return el.abs(this); }
  square(): Tensor { return el.square(this); }
  sin(): Tensor { return el.sin(this); }
  cos(): Tensor { return el.cos(this); }
  tanh(): Tensor { return el.tanh(this); }
  sigmoid(): Tensor { return el.sigmoid(this); }
  relu(): Tensor { return el.relu(this); }
  softplus(): Tensor { return el.softplus(this); }
  heaviside(): Tensor { return el.heaviside(this); }
  clamp(min?: number, max?: number): Tensor { return el.clamp(this, min, max); }
  matmul(b: Tensor): Tensor { return matmul(this, b); }
  sum(axis?: number | number[], keepdims = false): Tensor { return red.sum(this, axis, keepdims); }
  mean(axis?: number | number[], keepdims = false): Tensor { return red.mean(this, axis, keepdims); }
  max(axis?: number, keepdims = false): Tensor { return red.max(this, axis, keepdims); }
  min(axis?: number, keepdims = false): Tensor { return red.min(this, axis, keepdims); }
  argmax(axis?: number, keepdims = false): Tensor { return red.argmax(this, axis, keepdims); }
  argmin(axis?: number, keepdims = false): Tensor { return red.argmin(this, axis, keepdims); }
  softmax(axis = -1): Tensor { return softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return logSoftmax(this, axis); }
  reshape(...shape: number[] | [number[]]): Tensor {
    return mv.reshape(this, Array.isArray(shape[0]) ? shape[0] : (shape as number[]));
  }
  flatten(): Tensor { return mv.reshape(this, [this.size]); }
  transpose(...axes: number[]): Tensor { return mv.transpose(this, axes.length ? axes : undefined); }
  slice(...specs: mv.SliceSpec[]): Tensor { return mv.slice(this, specs); }
  gather(indices: Tensor, axis = -1): Tensor { return mv.gather(this, indices, axis); }
  broadcastTo(shape: Shape): Tensor { return mv.broadcastTo(this, shape); }
  /** A copy in another dtype (like torch's .to(dtype)); gradients flow back. */
  to(dtype: DType): Tensor { return mv.cast(this, dtype); }
}
