// Elementwise ops. What each op is (kernel, VJP, parameters) lives in the op registry
// (src/ops/); this file is the tensor side of it: every op runs through `dispatch` (the door that
// runs vmap's batching rule for batched inputs, else the backend's kernel), then the tape. VJPs are written in tensor ops, so they are
// differentiable themselves (grad-of-grad, Hessian-vector products).
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../../backend/backend.js';
import { getBackend } from '../../backend/select.js';
import { noGrad, record } from '../tape.js';
import { DTypeError } from '../../errors.js';
import { binaryOp as binaryDef, paramOf, unaryOp as unaryDef, type BinaryOpDef, type UnaryOpDef } from '../../ops/index.js';
import { dispatch } from '../dispatch.js';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf } from '../shape.js';
import { allocate, Tensor, type DType, type TensorLike } from '../tensor.js';
import { reduceTo, broadcastTo } from './movement.js';
import type { ElementwiseOps } from '../../ops/index.js';

function check2(a: Tensor, b: Tensor, op: string): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: mixed dtypes ${a.dtype} and ${b.dtype}; convert one with .to('${a.dtype}')`);
  }
}

/** A 0-d tensor holding v. */
function scalar(v: number, dtype: DType = 'float32'): Tensor {
  const d = allocate(dtype, 1);
  d[0] = v;
  return new Tensor(d, []);
}

/** A tensor from a tensor-or-number argument, matching `like`'s dtype for numbers. */
function asTensor(x: TensorLike, like: Tensor): Tensor {
  return typeof x === 'number' ? scalar(x, like.dtype) : x;
}

/** Mark outputs of ops without gradients, so a backward() through them can say which op it was. */
function nonDifferentiable(t: Tensor, op: string): Tensor {
  t.nonDifferentiableOp = op;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Unary ops with a kernel: y = f(x). The VJP is the entry's `vjp`, else g ⊙ f′ by its fused kernel.

/** Run a registry op that has a kernel (the unary functions below are this with a name). */
export function applyUnary(def: UnaryOpDef, x: Tensor, param?: number): Tensor {
  const p = paramOf(def, param);
  const out = dispatch(def.name, [x], () => {
    const y = new Tensor(allocate(x.dtype, x.size), x.shape);
    getBackend().unary(def.name as UnaryOp, x.size, x.data, y.data, p);
    return y;
  }, () => ({ apply: (v: Tensor) => applyUnary(def, v, p) }));
  if (!def.differentiable) return nonDifferentiable(out, def.name);
  const { vjp, grad } = def;
  if (vjp) return record(out, def.name, [x], (g) => [vjp(T, x, out, g, p)]);
  if (grad) return record(out, def.name, [x], (g) => [activationGrad(def.name, grad.reads === 'x' ? x : out, g, p)]);
  throw new DTypeError(`${def.name}: the op registry gives this kernel op neither a vjp nor a fused grad kernel`);
}

const unary = (name: string) => {
  const def = unaryDef(name);
  return (x: Tensor) => applyUnary(def, x);
};
const unaryWithParam = (name: string) => {
  const def = unaryDef(name);
  return (x: Tensor, param?: number) => applyUnary(def, x, param);
};

export const neg = unary('neg');
export const exp = unary('exp');
export const log = unary('log');
export const sqrt = unary('sqrt');
export const abs = unary('abs');
export const sign = unary('sign');
export const square = unary('square');
export const reciprocal = unary('reciprocal');
export const sin = unary('sin');
export const cos = unary('cos');
export const tanh = unary('tanh');
export const sigmoid = unary('sigmoid');
export const relu = unary('relu');
export const softplus = unary('softplus');
/** The Heaviside step (the notes' hard threshold): 1 where x > 0, else 0 (gradient 0). */
export const heaviside = unary('heaviside');
/** LeakyReLU; the slope's default is the registry's. */
export const leakyRelu = unaryWithParam('leakyRelu');
/** ELU; alpha's default is the registry's. */
export const elu = unaryWithParam('elu');
/** GELU, tanh approximation. */
export const gelu = unary('gelu');

// ---------------------------------------------------------------------------------------------
// Fused backward kernels: out = g ⊙ f′(v). They are ops too, with their own VJPs (the entry's
// `second` rule), so that a backward pass that records (createGraph) can be differentiated again.

/** g ⊙ f′(v) with one fused kernel; v is x (relu, softplus, ...) or y (sigmoid, tanh). */
export function activationGrad(op: UnaryGradOp, v: Tensor, g: Tensor, param?: number): Tensor {
  const def = unaryDef(op);
  const k = def.grad;
  if (!k) throw new DTypeError(`activationGrad: '${op}' has no fused derivative kernel`);
  const p = paramOf(def, param);
  const out = dispatch(`${op}Grad`, [v, g], () => {
    const y = new Tensor(allocate(g.dtype, g.size), g.shape);
    getBackend().unaryGrad(op, g.size, v.data, g.data, y.data, p);
    return y;
  }, () => ({ apply: (a: Tensor, b: Tensor) => activationGrad(op, a, b, p) }));
  return record(out, `${op}Grad`, [v, g], (gg) => [k.second(T, v, g, gg, p), activationGrad(op, v, gg, p)]);
}

// ---------------------------------------------------------------------------------------------
// Binary ops with NumPy broadcasting. The VJP gives [∂L/∂a, ∂L/∂b] at the broadcast shape;
// `binaryOp` sums them back to each input's shape.

function binaryOp(def: BinaryOpDef, a: Tensor, b: Tensor): Tensor {
  const op = def.name as BinaryOp;
  check2(a, b, op);
  const out = dispatch(op, [a, b], () => binaryKernel(op, a, b), () => ({ apply: (va: Tensor, vb: Tensor) => binaryOp(def, va, vb) }));
  const rule = def.vjp;
  if (!rule) return nonDifferentiable(out, op);
  return record(out, op, [a, b], (g) => {
    const [ga, gb] = rule(T, a, b, out, g);
    return [ga && reduceTo(ga, a.shape), gb && reduceTo(gb, b.shape)];
  });
}

function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  if (sameShape(a.shape, b.shape)) {
    const out = new Tensor(allocate(a.dtype, a.size), a.shape);
    getBackend().binary(op, a.size, a.data, b.data, out.data);
    return out;
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = new Tensor(allocate(a.dtype, sizeOf(shape)), shape);
  getBackend().binaryStrided(op, shape, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out.data);
  return out;
}

const binary = (name: string) => {
  const def = binaryDef(name);
  return (a: TensorLike, b: TensorLike) => binaryOp(def, ...pair(a, b));
};
const ADD = binaryDef('add'), SUB = binaryDef('sub'), MUL = binaryDef('mul'), DIV = binaryDef('div');

/** y = x·s + t with scalars s, t (one kernel for x + c, x − c, c·x, x / c). */
function affine(x: Tensor, s: number, t: number, op: string): Tensor {
  const out = dispatch('affine', [x], () => {
    const y = new Tensor(allocate(x.dtype, x.size), x.shape);
    getBackend().affine(x.size, x.data, s, t, y.data);
    return y;
  }, () => ({ apply: (u: Tensor) => affine(u, s, t, op) }));
  return record(out, op, [x], (g) => [s === 1 ? g : affine(g, s, 0, 'mul')]);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, b, 'add');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, 1, a, 'add');
  return binaryOp(ADD, ...pair(a, b));
}
export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, -b, 'sub');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, -1, a, 'sub');
  return binaryOp(SUB, ...pair(a, b));
}
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, b, 0, 'mul');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, a, 0, 'mul');
  return binaryOp(MUL, ...pair(a, b));
}
export function div(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1 / b, 0, 'div');
  return binaryOp(DIV, ...pair(a, b));
}
export const pow = binary('pow');
export const maximum = binary('maximum');
export const minimum = binary('minimum');
export const eq = binary('eq');
export const ne = binary('ne');
export const lt = binary('lt');
export const le = binary('le');
export const gt = binary('gt');
export const ge = binary('ge');

function pair(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') return [scalar(a), scalar(b)];
  const like = typeof a === 'number' ? (b as Tensor) : a;
  return [asTensor(a, like), asTensor(b, like)];
}

/** Elements of x clipped to [min, max]; the gradient passes where x is inside (ties included). */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  let y = x;
  if (min !== undefined) y = maximum(y, min);
  if (max !== undefined) y = minimum(y, max);
  return y;
}

/** cond ? a : b elementwise, with broadcasting of all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const ta0 = asTensor(a, typeof a === 'number' ? (typeof b === 'number' ? cond : b) : a);
  const ta = ta0, tb = asTensor(b, ta0);
  check2(ta, tb, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const out = dispatch('where', [cond, ta, tb], () => {
    const n = sizeOf(shape);
    // Only the values are needed here: the VJP below is what records.
    const expand = (t: Tensor) => (sameShape(t.shape, shape) ? t.data : noGrad(() => broadcastTo(t, shape)).data);
    let c = expand(cond);
    if (cond.dtype !== ta.dtype) c = ta.dtype === 'float64' ? Float64Array.from(c) : Float32Array.from(c);
    const y = new Tensor(allocate(ta.dtype, n), shape);
    getBackend().select(n, c, expand(ta), expand(tb), y.data);
    return y;
  }, () => ({ apply: (c: Tensor, x: Tensor, y: Tensor) => where(c, x, y) }));
  return record(out, 'where', [ta, tb], (g) => [
    reduceTo(where(cond, g, 0), ta.shape),
    reduceTo(where(cond, 0, g), tb.shape),
  ]);
}

// The registry's rules take the ops they use as an argument (the registry sits below tensor/ and
// cannot import them): this module's functions. Typed as the whole module, so a new export that is
// missing here is a compile error.
const T: ElementwiseOps = {
  applyUnary, activationGrad, neg, exp, log, sqrt, abs, sign, square, reciprocal, sin, cos, tanh, sigmoid, relu,
  softplus, heaviside, leakyRelu, elu, gelu, add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, clamp, where,
};
