// One batching rule per op, keyed by op name (JAX's batching rules). A rule gets the op's inputs,
// some batched at `level`, and runs the op once on the batched values (batch axis first) with its
// axes shifted by one; it never loops over examples. Unbatched inputs enter as they are and
// NumPy broadcasting supplies the batch axis, or are broadcast explicitly where an op needs it.
import { allOps } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { normAxis } from '../tensor/shape.js';
import { reshape, broadcastTo } from '../tensor/ops/movement.js';
import { add, mul } from '../tensor/ops/elementwise.js';
import { matmulT } from '../tensor/ops/matmul.js';
import { batchRules, type BatchRule, type Batched } from '../tensor/dispatch.js';
import { BatchTracer } from './batch-tracer.js';

/** t's batched values if t is batched at `level`, else null. */
function valueAt(t: Tensor | undefined, level: number): Tensor | null {
  const b = t as (Tensor & Partial<Batched>) | undefined;
  return b && b.batchLevel === level ? b.batchValue! : null;
}

function batchSizeOf(inputs: readonly Tensor[], level: number): number {
  for (const t of inputs) {
    const v = valueAt(t, level);
    if (v) return v.shape[0];
  }
  throw new Error('batching rule called without a batched input');
}

const wrap = (v: Tensor, level: number): Tensor => new BatchTracer(v, level);

/**
 * t laid out for an op whose per-example operands have rank `rank`: batched values become
 * [B, 1, …, 1, ...shape] so that the batch axis lines up first; unbatched t is unchanged, and
 * broadcasting treats it as the same for every example.
 */
function aligned(t: Tensor, level: number, rank: number): Tensor {
  const v = valueAt(t, level);
  if (!v) return t;
  const pad = rank - t.ndim;
  return pad > 0 ? reshape(v, [v.shape[0], ...Array<number>(pad).fill(1), ...t.shape]) : v;
}

/** t's batched values, repeating an unbatched t B times (for ops without broadcasting). */
function materialized(t: Tensor, level: number, B: number): Tensor {
  return valueAt(t, level) ?? broadcastTo(reshape(t, [1, ...t.shape]), [B, ...t.shape]);
}

const shifted = (axes: readonly number[]) => axes.map((a) => a + 1);

/** Elementwise ops with broadcasting (unary, binary, where, activation gradients, cast). */
const elementwise: BatchRule = (inputs, level, p) => {
  const rank = Math.max(...inputs.map((t) => t.ndim));
  return wrap(p.apply(...inputs.map((t) => aligned(t, level, rank))), level);
};

/** Elementwise ops whose kernel wants equal shapes (the activations' fused gradients). */
const elementwiseSameShape: BatchRule = (inputs, level, p) => {
  const B = batchSizeOf(inputs, level);
  return wrap(p.apply(...inputs.map((t) => materialized(t, level, B))), level);
};

/** max, min, argmax, argmin: over one axis, or over all axes of each example. */
const extreme: BatchRule = ([x], level, p) => {
  const v = valueAt(x, level)!;
  const B = v.shape[0];
  if (p.axis === undefined) {
    const r = p.apply(reshape(v, [B, x.size]), 1, p.keepdims);
    return wrap(p.keepdims ? reshape(r, [B, ...x.shape.map(() => 1)]) : r, level);
  }
  return wrap(p.apply(v, normAxis(p.axis as number, x.ndim, 'vmap') + 1, p.keepdims), level);
};

const softmaxLike: BatchRule = ([x], level, p) => wrap(p.apply(valueAt(x, level)!, (p.axis as number) + 1), level);

const rules: Record<string, BatchRule> = {
  sum: ([x], level, p) => wrap(p.apply(valueAt(x, level)!, shifted(p.axes as number[]), p.keepdims), level),
  max: extreme,
  min: extreme,
  argmax: extreme,
  argmin: extreme,
  softmax: softmaxLike,
  logSoftmax: softmaxLike,
  affine: elementwise,
  where: elementwise,
  cast: elementwise,
  reshape: ([x], level, p) => {
    const v = valueAt(x, level)!;
    return wrap(p.apply(v, [v.shape[0], ...(p.shape as number[])]), level);
  },
  transpose: ([x], level, p) => wrap(p.apply(valueAt(x, level)!, [0, ...shifted(p.perm as number[])]), level),
  broadcastTo: ([x], level, p) => {
    const to = p.shape as number[];
    return wrap(p.apply(aligned(x, level, to.length), [batchSizeOf([x], level), ...to]), level);
  },
  gather: (inputs, level, p) => {
    const B = batchSizeOf(inputs, level);
    const [x, idx] = inputs.map((t) => materialized(t, level, B));
    return wrap(p.apply(x, idx, (p.axis as number) + 1), level);
  },
  scatterAdd: (inputs, level, p) => {
    const B = batchSizeOf(inputs, level);
    const [g, idx] = inputs.map((t) => materialized(t, level, B));
    return wrap(p.apply(g, idx, [B, ...(p.shape as number[])], (p.axis as number) + 1), level);
  },
  concat: (inputs, level, p) => {
    const B = batchSizeOf(inputs, level);
    return wrap(p.apply(inputs.map((t) => materialized(t, level, B)), (p.axis as number) + 1), level);
  },
  matmul: ([a, b], level, p) => {
    const va = valueAt(a, level), vb = valueAt(b, level);
    if (va && !vb && b.ndim === 2 && !p.transA) {
      // Examples × rows against one matrix: fold the batch into the rows, one GEMM for all.
      const n = p.transB ? b.shape[0] : b.shape[1];
      const out = p.apply(reshape(va, [-1, a.shape[a.ndim - 1]]), b);
      return wrap(reshape(out, [va.shape[0], ...a.shape.slice(0, -1), n]), level);
    }
    const rank = Math.max(a.ndim, b.ndim);
    let xa = aligned(a, level, rank), xb = aligned(b, level, rank);
    const k = p.transA ? a.shape[a.ndim - 2] : a.shape[a.ndim - 1];
    if (k === 1) {
      // An outer product per example (the VJP's ∂W = xᵀ·g for one example): a broadcast multiply
      // of [..., m, 1] by [..., 1, n] instead of one tiny GEMM per example. With one side of
      // size 1, a transpose is a reshape.
      const lead = (t: Tensor) => t.shape.slice(0, -2);
      if (p.transA) xa = reshape(xa, [...lead(xa), xa.shape[xa.ndim - 1], 1]);
      if (p.transB) xb = reshape(xb, [...lead(xb), 1, xb.shape[xb.ndim - 2]]);
      return wrap(mul(xa, xb), level);
    }
    return wrap(p.apply(xa, xb), level);
  },
  linear: ([x, w, b], level, p) => {
    const vx = valueAt(x, level);
    if (vx && !valueAt(w, level) && !valueAt(b, level)) {
      const out = p.apply(reshape(vx, [-1, x.shape[1]]), w, b);
      return wrap(reshape(out, [vx.shape[0], x.shape[0], w.shape[1]]), level);
    }
    // A batched weight or bias: X·W + b as a batched matmul and a broadcast add.
    const xw = matmulT(aligned(x, level, 2), aligned(w, level, 2), false, false);
    return wrap(b ? add(xw, aligned(b, level, 2)) : xw, level);
  },
};

// The op registry's ops: the entry's own rule, else the shared elementwise one, so a new op there
// batches without being listed here. Their fused gradient kernels want equal shapes.
for (const d of allOps()) {
  if (d.kind === 'binary' || d.kernel) rules[d.name] = d.batch ?? elementwise;
  if (d.kind === 'unary' && d.grad) rules[`${d.name}Grad`] = elementwiseSameShape;
}

Object.assign(batchRules, rules);
