// Ops that move values without arithmetic: reshape, transpose, broadcast, slice, gather, concat.
// Each VJP is the adjoint movement (transpose ↔ inverse transpose, broadcast ↔ sum, gather ↔ scatter-add).
import type { FloatArray } from '../../backend/backend.js';
import { getBackend } from '../../backend/select.js';
import { record } from '../tape.js';
import { dispatch } from '../dispatch.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { broadcastShapes, broadcastStrides, checkShape, fmt, normAxis, sameShape, sizeOf, splitAt, stridesOf, type Shape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';

/** Same values, new shape (one axis may be −1). Shares the data buffer, like a PyTorch view. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const s = [...shape];
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = s.reduce((p, v, i) => (i === unknown ? p : p * v), 1);
    s[unknown] = known === 0 ? 0 : x.size / known;
  }
  checkShape(s, 'reshape');
  if (sizeOf(s) !== x.size) throw new ShapeError(`reshape: cannot reshape ${fmt(x.shape)} (${x.size} values) to ${fmt(shape)}`);
  if (sameShape(s, x.shape)) return x;
  const out = dispatch('reshape', [x], () => new Tensor(x.data, s), () => ({ apply: (v: Tensor, to: number[]) => reshape(v, to), shape: s }));
  return record(out, 'reshape', [x], (g) => [reshape(g, x.shape)]);
}

/** Permute axes (default: swap the last two). The result is contiguous. */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const nd = x.ndim;
  const perm = axes ? axes.map((a) => normAxis(a, nd, 'transpose')) : [...Array(nd).keys()];
  if (!axes) {
    if (nd < 2) return x;
    [perm[nd - 2], perm[nd - 1]] = [perm[nd - 1], perm[nd - 2]];
  }
  if (perm.length !== nd || new Set(perm).size !== nd) {
    throw new ShapeError(`transpose: axes [${axes}] are not a permutation of ${nd} axes of ${fmt(x.shape)}`);
  }
  const out = dispatch('transpose', [x], () => {
    const st = stridesOf(x.shape);
    const shape = perm.map((p) => x.shape[p]);
    const y = new Tensor(allocate(x.dtype, x.size), shape);
    getBackend().copyStrided(shape, x.data, 0, perm.map((p) => st[p]), y.data, 0);
    return y;
  }, () => ({ apply: (v: Tensor, p: number[]) => transpose(v, p), perm }));
  const inverse = new Array<number>(nd);
  perm.forEach((p, i) => (inverse[p] = i));
  return record(out, 'transpose', [x], (g) => [transpose(g, inverse)]);
}

/** Repeat values along size-1 (or missing leading) axes to reach `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!sameShape(target, shape)) throw new ShapeError(`broadcastTo: cannot broadcast ${fmt(x.shape)} to ${fmt(shape)}`);
  if (sameShape(x.shape, shape)) return x;
  const out = dispatch('broadcastTo', [x], () => {
    const y = new Tensor(allocate(x.dtype, sizeOf(shape)), shape);
    getBackend().copyStrided(shape, x.data, 0, broadcastStrides(x.shape, shape), y.data, 0);
    return y;
  }, () => ({ apply: (v: Tensor, to: number[]) => broadcastTo(v, to), shape: [...shape] }));
  return record(out, 'broadcastTo', [x], (g) => [reduceTo(g, x.shape)]);
}

/** Sum a broadcast gradient back down to `shape` (the adjoint of broadcastTo). */
export function reduceTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(g.sum(axes, true), shape); // a method: reduce.ts imports this module
}

export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.ndim + 1, 'unsqueeze');
  const s = [...x.shape];
  s.splice(a, 0, 1);
  return reshape(x, s);
}

export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((s) => s !== 1));
  const a = normAxis(axis, x.ndim, 'squeeze');
  if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${axis} of ${fmt(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

// --- gather / scatter ---------------------------------------------------------------------------

function checkIndices(idx: Tensor, len: number, op: string): void {
  const d = idx.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!Number.isInteger(v) || v < 0 || v >= len) {
      throw new ShapeError(`${op}: index ${v} at position ${i} is out of range [0, ${len})`);
    }
  }
}

function indexData(idx: Tensor, dtype: Tensor['dtype']): FloatArray {
  if (idx.dtype === dtype) return idx.data;
  return dtype === 'float64' ? Float64Array.from(idx.data) : Float32Array.from(idx.data);
}

/**
 * torch.gather along `axis`: out[..., j, ...] = x[..., idx[..., j, ...], ...]. idx has x's shape
 * except along axis. With x [n, classes] and labels [n, 1], this picks each row's class score.
 */
export function gather(x: Tensor, idx: Tensor, axis = -1): Tensor {
  const a = normAxis(axis, x.ndim, 'gather');
  if (idx.ndim !== x.ndim || x.shape.some((s, i) => i !== a && s !== idx.shape[i])) {
    throw new ShapeError(`gather: indices of shape ${fmt(idx.shape)} do not fit ${fmt(x.shape)} along axis ${axis} (all other axes must match)`);
  }
  const out = dispatch('gather', [x, idx], () => {
    const [outer, len, inner] = splitAt(x.shape, a);
    checkIndices(idx, len, 'gather');
    const y = new Tensor(allocate(x.dtype, idx.size), idx.shape);
    getBackend().gather(outer, len, inner, x.data, indexData(idx, x.dtype), idx.shape[a], y.data);
    return y;
  }, () => ({ apply: (v: Tensor, i: Tensor, ax: number) => gather(v, i, ax), axis: a }));
  return record(out, 'gather', [x], (g) => [scatterAdd(g, idx, x.shape, a)]);
}

/** The adjoint of gather: zeros of `shape` with g added at the gathered positions. */
export function scatterAdd(g: Tensor, idx: Tensor, shape: Shape, axis: number): Tensor {
  const out = dispatch('scatterAdd', [g, idx], () => {
    const [outer, len, inner] = splitAt(shape, axis);
    const y = new Tensor(allocate(g.dtype, sizeOf(shape)), shape);
    getBackend().scatterAdd(outer, len, inner, g.data, indexData(idx, g.dtype), idx.shape[axis], y.data);
    return y;
  }, () => ({ apply: (v: Tensor, i: Tensor, s: number[], ax: number) => scatterAdd(v, i, s, ax), shape: [...shape], axis }));
  return record(out, 'scatterAdd', [g], (gg) => [gather(gg, idx, axis)]);
}

/** Pick `indices` along one axis (torch.index_select). */
export function indexSelect(x: Tensor, axis: number, indices: readonly number[]): Tensor {
  const a = normAxis(axis, x.ndim, 'indexSelect');
  const [outer, len, inner] = splitAt(x.shape, a);
  const k = indices.length;
  const idx = allocate(x.dtype, outer * k * inner);
  for (let o = 0, p = 0; o < outer; o++) for (let j = 0; j < k; j++) for (let i = 0; i < inner; i++) idx[p++] = indices[j];
  const shape = [...x.shape];
  shape[a] = k;
  const idxT = new Tensor(idx, shape);
  checkIndices(new Tensor(Float64Array.from(indices), [k]), len, 'indexSelect');
  return gather(x, idxT, a);
}

/** One axis of a slice: an index (drops the axis), [start, end, step] (negatives count from the end), or null for all. */
export type SliceSpec = number | null | [number?, number?, number?];

/** NumPy-style basic slicing, one spec per leading axis. */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  if (specs.length > x.ndim) throw new ShapeError(`slice: ${specs.length} indices for a tensor of rank ${x.ndim} ${fmt(x.shape)}`);
  let y = x;
  const drop: number[] = [];
  specs.forEach((spec, axis) => {
    if (spec === null) return;
    const n = x.shape[axis];
    if (typeof spec === 'number') {
      const i = spec < 0 ? spec + n : spec;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new ShapeError(`slice: index ${spec} is out of range for axis ${axis} of size ${n}`);
      y = indexSelect(y, axis, [i]);
      drop.push(axis);
      return;
    }
    const stepv = spec[2] ?? 1;
    if (stepv === 0) throw new ShapeError('slice: step must not be 0');
    const norm = (v: number | undefined, dflt: number) => (v === undefined ? dflt : v < 0 ? Math.max(v + n, stepv < 0 ? -1 : 0) : Math.min(v, stepv < 0 ? n - 1 : n));
    const start = norm(spec[0], stepv > 0 ? 0 : n - 1), end = norm(spec[1], stepv > 0 ? n : -1);
    const picks: number[] = [];
    for (let i = start; stepv > 0 ? i < end : i > end; i += stepv) picks.push(i);
    if (picks.length === n && stepv === 1) return;
    y = indexSelect(y, axis, picks);
  });
  return drop.length ? reshape(y, y.shape.filter((_, i) => !drop.includes(i))) : y;
}

// --- concat / stack -------------------------------------------------------------------------------

/** Join tensors along an existing axis. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('concat: needs at least one tensor');
  const first = xs[0];
  const a = normAxis(axis, first.ndim, 'concat');
  for (const t of xs) {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: mixed dtypes ${first.dtype} and ${t.dtype}`);
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== a && s !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${fmt(first.shape)} and ${fmt(t.shape)} differ outside axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[a] = xs.reduce((p, t) => p + t.shape[a], 0);
  const out = dispatch('concat', xs, () => {
    const [outer, , inner] = splitAt(shape, a);
    const y = new Tensor(allocate(first.dtype, sizeOf(shape)), shape);
    const rowLen = shape[a] * inner;
    let at = 0;
    const be = getBackend();
    for (const t of xs) {
      const chunk = t.shape[a] * inner;
      // Copy t viewed as [outer, chunk] into y's [outer, rowLen] rows at column `at`: one strided
      // copy per outer row keeps the kernel's contiguous-destination contract.
      for (let o = 0; o < outer; o++) be.copyStrided([chunk], t.data, o * chunk, [1], y.data, o * rowLen + at);
      at += chunk;
    }
    return y;
  }, () => ({ apply: (vs: Tensor[], ax: number) => concat(vs, ax), axis: a }));
  const starts: number[] = [];
  let s = 0;
  for (const t of xs) { starts.push(s); s += t.shape[a]; }
  return record(out, 'concat', xs, (g) =>
    xs.map((t, i) => indexSelect(g, a, Array.from({ length: t.shape[a] }, (_, j) => starts[i] + j))));
}

/** Join tensors of the same shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('stack: needs at least one tensor');
  for (const t of xs) {
    if (!sameShape(t.shape, xs[0].shape)) throw new ShapeError(`stack: shapes ${fmt(xs[0].shape)} and ${fmt(t.shape)} differ`);
  }
  const a = normAxis(axis, xs[0].ndim + 1, 'stack');
  return concat(xs.map((t) => unsqueeze(t, a)), a);
}

/** The same values in another dtype (a copy); gradients flow back converted to x's dtype. */
export function cast(x: Tensor, dtype: Tensor['dtype']): Tensor {
  if (x.dtype === dtype) return x;
  const out = dispatch('cast', [x], () => new Tensor(dtype === 'float64' ? Float64Array.from(x.data) : Float32Array.from(x.data), x.shape),
    () => ({ apply: (v: Tensor) => cast(v, dtype) }));
  return record(out, 'cast', [x], (g) => [cast(g, x.dtype)]);
}
