// Elementwise ops in two tables (tinygrad-style): each row is a kernel plus its VJP written in
// tensor ops, so the VJP is itself differentiable (grad-of-grad, Hessian-vector products).
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../../backend/backend.js';
import { getBackend } from '../../backend/select.js';
import { noGrad, record } from '../../autograd/graph.js';
import { batchOp, topLevel } from '../../autograd/batch-hook.js';
import { DTypeError } from '../../errors.js';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf } from '../shape.js';
import { allocate, Tensor, type TensorLike } from '../tensor.js';
import { reduceTo, broadcastTo } from './movement.js';
import { scalar } from '../creation.js';

function check2(a: Tensor, b: Tensor, op: string): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: mixed dtypes ${a.dtype} and ${b.dtype}; convert one with .to('${a.dtype}')`);
  }
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
// Unary ops: y = f(x). vjp(x, y, g, param) returns ∂L/∂x, or null for a zero gradient.

type UnaryRule = (x: Tensor, y: Tensor, g: Tensor, p: number) => Tensor | null;

const UNARY: Record<UnaryOp, UnaryRule> = {
  neg: (_x, _y, g) => neg(g),
  exp: (_x, y, g) => mul(g, y),
  log: (x, _y, g) => div(g, x),
  sqrt: (_x, y, g) => div(g, mul(y, 2)),
  abs: (x, _y, g) => mul(g, sign(x)),
  sign: () => null,
  square: (x, _y, g) => mul(g, mul(x, 2)),
  reciprocal: (_x, y, g) => neg(mul(g, square(y))),
  sin: (x, _y, g) => mul(g, cos(x)),
  cos: (x, _y, g) => neg(mul(g, sin(x))),
  tanh: (_x, y, g) => activationGrad('tanh', y, g),
  sigmoid: (_x, y, g) => activationGrad('sigmoid', y, g),
  relu: (x, _y, g) => activationGrad('relu', x, g),
  softplus: (x, _y, g) => activationGrad('softplus', x, g),
  heaviside: () => null, // the hard threshold: derivative 0 everywhere it exists
  leakyRelu: (x, _y, g, p) => activationGrad('leakyRelu', x, g, p),
  elu: (x, _y, g, p) => activationGrad('elu', x, g, p),
  gelu: (x, _y, g) => activationGrad('gelu', x, g),
};

function unaryOp(op: UnaryOp, x: Tensor, param = 0): Tensor {
  let out: Tensor;
  if (topLevel([x])) {
    out = batchOp(op, [x], { apply: (v: Tensor) => unaryOp(op, v, param) });
  } else {
    out = new Tensor(allocate(x.dtype, x.size), x.shape);
    getBackend().unary(op, x.size, x.data, out.data, param);
  }
  if (op === 'sign' || op === 'heaviside') return nonDifferentiable(out, op);
  return record(out, op, [x], (g) => [UNARY[op](x, out, g, param)]);
}

export const neg = (x: Tensor) => unaryOp('neg', x);
export const exp = (x: Tensor) => unaryOp('exp', x);
export const log = (x: Tensor) => unaryOp('log', x);
export const sqrt = (x: Tensor) => unaryOp('sqrt', x);
export const abs = (x: Tensor) => unaryOp('abs', x);
export const sign = (x: Tensor) => unaryOp('sign', x);
export const square = (x: Tensor) => unaryOp('square', x);
export const reciprocal = (x: Tensor) => unaryOp('reciprocal', x);
export const sin = (x: Tensor) => unaryOp('sin', x);
export const cos = (x: Tensor) => unaryOp('cos', x);
export const tanh = (x: Tensor) => unaryOp('tanh', x);
export const sigmoid = (x: Tensor) => unaryOp('sigmoid', x);
export const relu = (x: Tensor) => unaryOp('relu', x);
export const softplus = (x: Tensor) => unaryOp('softplus', x);
/** Hard threshold: 1 where x > 0, else 0 (gradient 0). */
export const heaviside = (x: Tensor) => unaryOp('heaviside', x);
export const leakyRelu = (x: Tensor, slope = 0.01) => unaryOp('leakyRelu', x, slope);
export const elu = (x: Tensor, alpha = 1) => unaryOp('elu', x, alpha);
/** GELU, tanh approximation. */
export const gelu = (x: Tensor) => unaryOp('gelu', x);

// ---------------------------------------------------------------------------------------------
// Fused backward kernels: out = g ⊙ f'(v). They are ops too, with their own VJPs, so that
// a backward pass that records (createGraph) can be differentiated again.

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** ∂(g ⊙ f'(v))/∂v ⊙ gg, the second-order term. Null where f'' = 0. */
const SECOND: Record<UnaryGradOp, (v: Tensor, g: Tensor, gg: Tensor, p: number) => Tensor | null> = {
  relu: () => null,
  leakyRelu: () => null,
  sigmoid: (y, g, gg) => mul(mul(gg, g), sub(1, mul(y, 2))), // d/dy [y(1−y)] = 1 − 2y
  tanh: (y, g, gg) => mul(mul(gg, g), mul(y, -2)), // d/dy [1 − y²] = −2y
  softplus: (x, g, gg) => activationGrad('sigmoid', sigmoid(x), mul(gg, g)), // softplus'' = σ′
  elu: (x, g, gg, p) => mul(mul(gg, g), mul(le(x, 0), mul(exp(x), p))),
  gelu: (x, g, gg) => {
    // f'' = (1 − t²)·(du − x·t·du² + 3·c·a·x²) with u = c(x + a x³), t = tanh u, du = c(1 + 3a x²).
    const a = 0.044715, c = SQRT_2_OVER_PI;
    const x2 = square(x);
    const t = tanh(mul(add(x, mul(mul(x2, x), a)), c));
    const du = mul(add(mul(x2, 3 * a), 1), c);
    const inner = add(sub(du, mul(mul(x, t), square(du))), mul(x2, 3 * c * a));
    return mul(mul(gg, g), mul(sub(1, square(t)), inner));
  },
};

/** g ⊙ f'(v) with one fused kernel; v is x (relu, softplus, ...) or y (sigmoid, tanh). */
export function activationGrad(op: UnaryGradOp, v: Tensor, g: Tensor, param = 0): Tensor {
  let out: Tensor;
  if (topLevel([v, g])) {
    out = batchOp(`${op}Grad`, [v, g], { apply: (vv: Tensor, gv: Tensor) => activationGrad(op, vv, gv, param) });
  } else {
    out = new Tensor(allocate(g.dtype, g.size), g.shape);
    getBackend().unaryGrad(op, g.size, v.data, g.data, out.data, param);
  }
  return record(out, `${op}Grad`, [v, g], (gg) => [SECOND[op](v, g, gg, param), activationGrad(op, v, gg, param)]);
}

// ---------------------------------------------------------------------------------------------
// Binary ops with NumPy broadcasting. vjp returns [∂L/∂a, ∂L/∂b] at the broadcast shape;
// `binaryOp` sums them back to each input's shape.

type BinaryRule = (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null];

const BINARY: Partial<Record<BinaryOp, BinaryRule>> = {
  add: (_a, _b, _y, g) => [g, g],
  sub: (_a, _b, _y, g) => [g, neg(g)],
  mul: (a, b, _y, g) => [mul(g, b), mul(g, a)],
  div: (_a, b, y, g) => [div(g, b), neg(div(mul(g, y), b))],
  pow: (a, b, y, g) => [
    a.requiresGrad ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    b.requiresGrad ? mul(g, mul(y, log(a))) : null,
  ],
  maximum: (a, b, _y, g) => [mul(g, ge(a, b)), mul(g, lt(a, b))],
  minimum: (a, b, _y, g) => [mul(g, le(a, b)), mul(g, gt(a, b))],
};

function binaryOp(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  check2(a, b, op);
  const be = getBackend();
  let out: Tensor;
  if (topLevel([a, b])) {
    out = batchOp(op, [a, b], { apply: (va: Tensor, vb: Tensor) => binaryOp(op, va, vb) });
  } else if (sameShape(a.shape, b.shape)) {
    out = new Tensor(allocate(a.dtype, a.size), a.shape);
    be.binary(op, a.size, a.data, b.data, out.data);
  } else {
    const shape = broadcastShapes(a.shape, b.shape, op);
    out = new Tensor(allocate(a.dtype, sizeOf(shape)), shape);
    be.binaryStrided(op, shape, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out.data);
  }
  const rule = BINARY[op];
  if (!rule) return nonDifferentiable(out, op);
  return record(out, op, [a, b], (g) => {
    const [ga, gb] = rule(a, b, out, g);
    return [ga && reduceTo(ga, a.shape), gb && reduceTo(gb, b.shape)];
  });
}

/** y = x·s + t with scalars s, t (one kernel for x + c, x − c, c·x, x / c). */
function affine(x: Tensor, s: number, t: number, op: string): Tensor {
  let out: Tensor;
  if (topLevel([x])) {
    out = batchOp('affine', [x], { apply: (v: Tensor) => affine(v, s, t, op) });
  } else {
    out = new Tensor(allocate(x.dtype, x.size), x.shape);
    getBackend().affine(x.size, x.data, s, t, out.data);
  }
  return record(out, op, [x], (g) => [s === 1 ? g : affine(g, s, 0, 'mul')]);
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, b, 'add');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, 1, a, 'add');
  return binaryOp('add', ...pair(a, b));
}
export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1, -b, 'sub');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, -1, a, 'sub');
  return binaryOp('sub', ...pair(a, b));
}
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, b, 0, 'mul');
  if (typeof a === 'number' && typeof b !== 'number') return affine(b, a, 0, 'mul');
  return binaryOp('mul', ...pair(a, b));
}
export function div(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && typeof a !== 'number') return affine(a, 1 / b, 0, 'div');
  return binaryOp('div', ...pair(a, b));
}
export const pow = (a: TensorLike, b: TensorLike) => binaryOp('pow', ...pair(a, b));
export const maximum = (a: TensorLike, b: TensorLike) => binaryOp('maximum', ...pair(a, b));
export const minimum = (a: TensorLike, b: TensorLike) => binaryOp('minimum', ...pair(a, b));
export const eq = (a: TensorLike, b: TensorLike) => binaryOp('eq', ...pair(a, b));
export const ne = (a: TensorLike, b: TensorLike) => binaryOp('ne', ...pair(a, b));
export const lt = (a: TensorLike, b: TensorLike) => binaryOp('lt', ...pair(a, b));
export const le = (a: TensorLike, b: TensorLike) => binaryOp('le', ...pair(a, b));
export const gt = (a: TensorLike, b: TensorLike) => binaryOp('gt', ...pair(a, b));
export const ge = (a: TensorLike, b: TensorLike) => binaryOp('ge', ...pair(a, b));

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
  const ta = asTensor(a, typeof a === 'number' ? (typeof b === 'number' ? cond : b) : a);
  const tb = asTensor(b, ta);
  check2(ta, tb, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  let out: Tensor;
  if (topLevel([cond, ta, tb])) {
    out = batchOp('where', [cond, ta, tb], { apply: (c: Tensor, a: Tensor, b: Tensor) => where(c, a, b) });
  } else {
    const n = sizeOf(shape);
    // Only the values are needed here: the VJP below is what records.
    const expand = (t: Tensor) => (sameShape(t.shape, shape) ? t.data : noGrad(() => broadcastTo(t, shape)).data);
    let c = expand(cond);
    if (cond.dtype !== ta.dtype) c = ta.dtype === 'float64' ? Float64Array.from(c) : Float32Array.from(c);
    out = new Tensor(allocate(ta.dtype, n), shape);
    getBackend().select(n, c, expand(ta), expand(tb), out.data);
  }
  return record(out, 'where', [ta, tb], (g) => [
    reduceTo(where(cond, g, 0), ta.shape),
    reduceTo(where(cond, 0, g), tb.shape),
  ]);
}
