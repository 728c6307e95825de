// Reductions over one or more axes (all axes by default), with keepdims as in NumPy.
import type { ReduceOp } from '../../backend/backend.js';
import { getBackend } from '../../backend/select.js';
import { record } from '../tape.js';
import { dispatch } from '../dispatch.js';
import { normAxis, splitAt } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { broadcastTo, reshape } from './movement.js';
import { div, eq, mul } from './elementwise.js';

/** Reduce one axis with the kernel, keeping it as size 1. */
function reduceAxis(op: ReduceOp, x: Tensor, axis: number): Tensor {
  const [outer, len, inner] = splitAt(x.shape, axis);
  const shape = x.shape.map((s, i) => (i === axis ? 1 : s));
  const out = new Tensor(allocate(x.dtype, outer * inner), shape);
  getBackend().reduce(op, outer, len, inner, x.data, out.data);
  return out;
}

function axesOf(x: Tensor, axis: number | readonly number[] | undefined, op: string): number[] {
  if (axis === undefined) return [...x.shape.keys()];
  const list = typeof axis === 'number' ? [axis] : axis;
  return [...new Set(list.map((a) => normAxis(a, x.ndim, op)))].sort((a, b) => a - b);
}

function dropAxes(shape: readonly number[], axes: number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((s, i) => (axes.includes(i) ? 1 : s)) : shape.filter((_, i) => !axes.includes(i));
}

/** Σ over the given axes. The VJP broadcasts the gradient back (∂L/∂B = 1ₙₓₙ·∂L/∂Z for biases). */
export function sum(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const axes = axesOf(x, axis, 'sum');
  const out = dispatch('sum', [x], () => sumKernel(x, axes, keepdims),
    () => ({ apply: (v: Tensor, ax: number[], kd: boolean) => sum(v, ax, kd), axes, keepdims }));
  const kept = dropAxes(x.shape, axes, true);
  return record(out, 'sum', [x], (g) => [broadcastTo(reshape(g, kept), x.shape)]);
}

function sumKernel(x: Tensor, axes: number[], keepdims: boolean): Tensor {
  if (x.ndim === 0) return new Tensor(x.data.slice(), []);
  if (axes.length === x.ndim) {
    // All axes: one pass over the flat data.
    const out = new Tensor(allocate(x.dtype, 1), []);
    getBackend().reduce('sum', 1, x.size, 1, x.data, out.data);
    return keepdims ? new Tensor(out.data, x.shape.map(() => 1)) : out;
  }
  let y = x;
  for (const a of axes) y = reduceAxis('sum', y, a);
  return new Tensor(y.data, dropAxes(x.shape, axes, keepdims));
}

export function mean(x: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  const axes = axesOf(x, axis, 'mean');
  const count = axes.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(x, axes, keepdims), count);
}

/** The reduction's source (x, or a flat view of it for axis = undefined), axis and output shape. */
function extremeSetup(x: Tensor, axis: number | undefined, keepdims: boolean, op: string) {
  if (axis === undefined) return { src: new Tensor(x.data, [x.size]), a: 0, shape: keepdims ? x.shape.map(() => 1) : [] };
  const a = normAxis(axis, x.ndim, op);
  return { src: x, a, shape: dropAxes(x.shape, [a], keepdims) };
}

/** max or min over one axis (or all). The gradient is shared equally among tied extremes. */
function extreme(op: 'max' | 'min', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const out = dispatch(op, [x], () => {
    const { src, a, shape } = extremeSetup(x, axis, keepdims, op);
    return new Tensor(reduceAxis(op, src, a).data, shape);
  }, () => ({ apply: (v: Tensor, ax: number | undefined, kd: boolean) => extreme(op, v, ax, kd), axis, keepdims }));
  return record(out, op, [x], (g) => [extremeVjp(x, out, g, axis)]);
}

/** The VJP in ops only (so that it holds for batched x too, whose values cannot be read directly). */
function extremeVjp(x: Tensor, out: Tensor, g: Tensor, axis: number | undefined): Tensor {
  const src = axis === undefined ? reshape(x, [x.size]) : x;
  const a = axis === undefined ? 0 : normAxis(axis, x.ndim, 'max/min');
  const kept = src.shape.map((s, i) => (i === a ? 1 : s));
  const mask = eq(src, broadcastTo(reshape(out, kept), src.shape));
  const count = broadcastTo(sum(mask, a, true), src.shape);
  const gx = mul(broadcastTo(reshape(g, kept), src.shape), div(mask, count));
  return axis === undefined ? reshape(gx, x.shape) : gx;
}

export const max = (x: Tensor, axis?: number, keepdims = false) => extreme('max', x, axis, keepdims);
export const min = (x: Tensor, axis?: number, keepdims = false) => extreme('min', x, axis, keepdims);

/** Index of the first largest value (as a float tensor); not differentiable. */
function argExtreme(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const out = dispatch(op, [x], () => argExtremeKernel(op, x, axis, keepdims),
    () => ({ apply: (v: Tensor, ax: number | undefined, kd: boolean) => argExtreme(op, v, ax, kd), axis, keepdims }));
  out.nonDifferentiableOp = op;
  return out;
}

function argExtremeKernel(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const { src, a, shape } = extremeSetup(x, axis, keepdims, op);
  return new Tensor(reduceAxis(op, src, a).data, shape);
}

export const argmax = (x: Tensor, axis?: number, keepdims = false) => argExtreme('argmax', x, axis, keepdims);
export const argmin = (x: Tensor, axis?: number, keepdims = false) => argExtreme('argmin', x, axis, keepdims);

