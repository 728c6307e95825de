// Making tensors: from nested arrays or typed arrays, constants, ranges and seeded random values.
import type { FloatArray } from '../backend/backend.js';
import { DTypeError, ShapeError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import { checkShape, fmt, sizeOf, type Shape } from './shape.js';
import { allocate, dtypeOf, Tensor, type DType, type NestedArray } from './tensor.js';
// Tensors made here have their chained methods (x.add(y)): creation is where users get tensors.
import './methods.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  shape?: Shape;
}

export interface RandomOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  seed?: number;
  rng?: Rng;
}

type ArrayData = NestedArray | FloatArray | ArrayLike<number>;

function isTyped(x: unknown): x is FloatArray | Int32Array | Uint8Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The shape of a nested array, refusing ragged rows with the path to the first bad one. */
function nestedShape(x: NestedArray, path = 'data'): number[] {
  if (typeof x === 'number') return [];
  if (!Array.isArray(x)) throw new DTypeError(`tensor: ${path} is ${typeof x}, expected a number or an array`);
  if (x.length === 0) return [0];
  const inner = nestedShape(x[0], `${path}[0]`);
  for (let i = 1; i < x.length; i++) {
    const s = nestedShape(x[i], `${path}[${i}]`);
    if (s.length !== inner.length || s.some((v, j) => v !== inner[j])) {
      throw new ShapeError(`tensor: ragged nested array: ${path}[${i}] has shape ${fmt(s)} but ${path}[0] has ${fmt(inner)}`);
    }
  }
  return [x.length, ...inner];
}

function fillNested(x: NestedArray, out: FloatArray, at: { i: number }): void {
  if (typeof x === 'number') { out[at.i++] = x; return; }
  for (const v of x) fillNested(v, out, at);
}

/**
 * A tensor from nested arrays, a typed array or a number. Typed arrays of the requested dtype are
 * used without copying; `shape` reshapes flat data (default: 1-d).
 */
export function tensor(data: ArrayData, opts: TensorOptions = {}): Tensor {
  let values: FloatArray, shape: number[];
  if (isTyped(data)) {
    const dtype = opts.dtype ?? (data instanceof Float64Array ? 'float64' : 'float32');
    values = (dtype === 'float64' ? data instanceof Float64Array : data instanceof Float32Array)
      ? (data as FloatArray)
      : (dtype === 'float64' ? Float64Array.from(data as ArrayLike<number>) : Float32Array.from(data as ArrayLike<number>));
    shape = [values.length];
  } else if (typeof data === 'number' || Array.isArray(data)) {
    shape = nestedShape(data as NestedArray);
    values = allocate(opts.dtype ?? 'float32', sizeOf(shape));
    fillNested(data as NestedArray, values, { i: 0 });
  } else {
    const arr = Array.from(data as ArrayLike<number>);
    values = opts.dtype === 'float64' ? Float64Array.from(arr) : Float32Array.from(arr);
    shape = [values.length];
  }
  if (opts.shape) {
    checkShape(opts.shape, 'tensor');
    if (sizeOf(opts.shape) !== values.length) {
      throw new ShapeError(`tensor: ${values.length} values cannot have shape ${fmt(opts.shape)}`);
    }
    shape = [...opts.shape];
  }
  const t = new Tensor(values, shape);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** A 0-d tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  const d = allocate(dtype, 1);
  d[0] = value;
  return new Tensor(d, []);
}

export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  checkShape(shape, 'full');
  const d = allocate(opts.dtype ?? 'float32', sizeOf(shape));
  if (value !== 0) d.fill(value);
  const t = new Tensor(d, shape);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 0, opts);
}

export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}

export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, { dtype: t.dtype });
}

export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, { dtype: t.dtype });
}

/** n×m identity (m defaults to n). */
export function eye(n: number, m = n, opts: TensorOptions = {}): Tensor {
  const t = zeros([n, m], opts);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** Values start, start+step, ... below end (NumPy's arange). arange(n) = 0..n-1. */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) { end = start; start = 0; }
  if (step === 0) throw new ShapeError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const d = allocate(opts.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  const t = new Tensor(d, [n]);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** n evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, n: number, opts: TensorOptions = {}): Tensor {
  const d = allocate(opts.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) d[i] = n === 1 ? start : start + ((end - start) * i) / (n - 1);
  return new Tensor(d, [n]);
}

function randomTensor(shape: Shape, opts: RandomOptions, draw: (r: Rng) => number): Tensor {
  checkShape(shape, 'random');
  const r = rngFrom(opts);
  const d = allocate(opts.dtype ?? 'float32', sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = draw(r);
  const t = new Tensor(d, shape);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** Uniform in [low, high) (default [0, 1)), from a seed or generator. */
export function rand(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const lo = opts.low ?? 0, hi = opts.high ?? 1;
  return randomTensor(shape, opts, (r) => r.uniform(lo, hi));
}

/** Normal with the given mean and std (default standard normal), from a seed or generator. */
export function randn(shape: Shape, opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const m = opts.mean ?? 0, s = opts.std ?? 1;
  return randomTensor(shape, opts, (r) => r.normal(m, s));
}

/** Integers in [low, high) as float values (labels, indices). */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  return randomTensor(shape, opts, (r) => low + r.int(high - low));
}

export { dtypeOf };
