// The affine layer Y = X·W + b as one op: the bias is broadcast into the output first and the
// GEMM accumulates onto it (beta = 1), saving a pass and a temporary per layer and step.
// VJP (the notes' matrix form): ∂X = ∂Y·Wᵀ, ∂W = Xᵀ·∂Y, ∂b = Σ rows of ∂Y (= 1ₙₓₙ·∂Y per row).
//
// linearActivation is g(X·W + b) with the bias and the activation in the GEMM's epilogue (one pass
// over the output instead of three). It records the same two nodes as the composition (linear,
// then the activation) with the same VJPs, so graphs, explain and higher derivatives see no
// difference; under vmap (batched inputs) it composes, so that each op's batching rule runs.
//
// Backward, the next layer's ∂X = ∂Y·Wᵀ can take this activation's derivative in its epilogue,
// giving ∂Z = ∂Y·Wᵀ ⊙ g′ directly (one pass fewer per hidden layer). That is sound only when the
// next layer is the activation's sole consumer (Sequential says so by handing that layer the
// activation's Handoff), nobody reads the
// activation's own gradient (retainGrad, gradients() asking for it) and the backward pass does not
// record (createGraph needs the graph of each step). The activation's VJP then passes the folded
// gradient on; if other gradients reached the activation anyway it multiplies only those.
import { getBackend } from '../../backend/select.js';
import { gemmFused } from '../../backend/fused.js';
import { activation as activationDef, paramOf, type UnaryOpDef } from '../../ops/index.js';
import { currentSweep, gradientObserved, claimZeroGradient, isGradEnabled, record } from '../tape.js';
import { batchOp, isBatched, topLevel } from '../dispatch.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { fmt } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { activate } from './activation.js';
import { activationGrad, add, sub } from './elementwise.js';
import { matmulT } from './matmul.js';
import { sum } from './reduce.js';

function check(x: Tensor, w: Tensor, b: Tensor | null | undefined): void {
  if (x.ndim !== 2 || w.ndim !== 2 || (b && b.ndim !== 1)) {
    throw new ShapeError(`linear: expected x [n, in], W [in, out], b [out]; got ${fmt(x.shape)}, ${fmt(w.shape)}${b ? `, ${fmt(b.shape)}` : ''}`);
  }
  const [, k] = x.shape, [kw, m] = w.shape;
  if (k !== kw || (b && b.shape[0] !== m)) {
    throw new ShapeError(`linear: x ${fmt(x.shape)}, W ${fmt(w.shape)}${b ? ` and b ${fmt(b.shape)}` : ''} do not fit`);
  }
  if (x.dtype !== w.dtype || (b && b.dtype !== w.dtype)) throw new DTypeError(`linear: mixed dtypes ${x.dtype}, ${w.dtype}${b ? `, ${b.dtype}` : ''}`);
}

/** What an activation fused by linearActivation leaves for the one layer that consumes its output. */
export interface Handoff {
  /** The activation's output, the tensor the handoff belongs to. */
  readonly output: Tensor;
  readonly act: string;
  readonly param: number;
  /** What the derivative reads: the pre-activation (relu) or the activation itself (sigmoid). */
  readonly v: Tensor;
  /** ∂Y·Wᵀ ⊙ g′ as the consumer computed it, and the backward sweep that computed it. */
  folded: { grad: Tensor; sweep: number } | null;
}

/** ∂X = ∂Y·Wᵀ, with the activation that made X (h) folded in where that is sound (see the top). */
function inputGrad(g: Tensor, x: Tensor, w: Tensor, h: Handoff | null): Tensor {
  if (!h || currentSweep() === 0 || isGradEnabled() || gradientObserved(x) || isBatched(g)) return matmulT(g, w, false, true);
  const [n, k] = x.shape, m = w.shape[1];
  const out = new Tensor(allocate(g.dtype, n * k), x.shape);
  gemmFused(getBackend(), false, true, n, k, m, g.data, 0, m, w.data, 0, m, out.data, 0, k, { grad: h.act, gradParam: h.param, v: h.v.data });
  h.folded = { grad: out, sweep: currentSweep() };
  return out;
}

function recordLinear(out: Tensor, x: Tensor, w: Tensor, b: Tensor | null | undefined, from: Handoff | null): Tensor {
  return record(out, 'linear', b ? [x, w, b] : [x, w], (g) => [
    x.requiresGrad ? inputGrad(g, x, w, from) : null,
    w.requiresGrad ? weightGrad(x, g, w) : null,
    b && b.requiresGrad ? biasGrad(g, b) : null,
  ]);
}

/**
 * ∂W = Xᵀ·∂Y. When W's gradient buffer is zeroed and backward() lets it (tape.ts's
 * claimZeroGradient), the GEMM writes straight into that buffer: no product to allocate per step.
 */
function weightGrad(x: Tensor, g: Tensor, w: Tensor): Tensor | null {
  const sink = isBatched(x) || isBatched(g) ? null : claimZeroGradient(w);
  if (!sink) return matmulT(x, g, true, false);
  const [n, k] = x.shape, m = g.shape[1];
  getBackend().gemm(true, false, k, m, n, 1, x.data, 0, k, g.data, 0, m, 0, sink.data, 0, m);
  return null;
}

/**
 * ∂b = Σ rows of ∂Y. Outside a recording backward pass this is the reduce kernel called directly:
 * the sum op's axis bookkeeping costs more than the kernel at a small layer's sizes.
 */
function biasGrad(g: Tensor, b: Tensor): Tensor {
  if (isGradEnabled() || isBatched(g)) return sum(g, 0);
  const [n, m] = g.shape;
  const out = new Tensor(allocate(g.dtype, m), b.shape);
  getBackend().reduce('sum', 1, n, m, g.data, out.data);
  return out;
}

export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  return linearFrom(x, w, b, null);
}

function checkHandoff(x: Tensor, from: Handoff | null): void {
  if (from && from.output !== x) throw new ShapeError('linear: a handoff must come from the activation that made x');
}

/**
 * linear(x, W, b) where x is the output of a fused activation (`from`, its handoff) whose only
 * consumer is this op, as Sequential guarantees for its layers: backward may fold the activation's
 * derivative into ∂X.
 */
export function linearFrom(x: Tensor, w: Tensor, b: Tensor | null | undefined, from: Handoff | null): Tensor {
  check(x, w, b);
  checkHandoff(x, from);
  const [n, k] = x.shape, m = w.shape[1];
  const inputs = b ? [x, w, b] : [x, w];
  let out: Tensor;
  if (topLevel(inputs)) {
    out = batchOp('linear', inputs, { apply: (vx: Tensor, vw: Tensor, vb?: Tensor) => linear(vx, vw, vb) });
  } else {
    const be = getBackend();
    const shape = Object.freeze([n, m]);
    out = new Tensor(allocate(x.dtype, n * m), shape);
    if (b) be.copyStrided(shape, b.data, 0, [0, 1], out.data, 0);
    be.gemm(false, false, n, m, k, 1, x.data, 0, k, w.data, 0, m, b ? 1 : 0, out.data, 0, m);
  }
  return recordLinear(out, x, w, b, from);
}

/** An activation the GEMM epilogue can apply: a kernel op, elementwise, with a fused derivative kernel. */
function epilogueAct(def: UnaryOpDef): boolean {
  return def.kernel !== undefined && def.compose === undefined && def.differentiable && def.grad !== undefined
    && def.vjp === undefined && def.activation?.elementwise !== false;
}

/** g(x·W + b) for the activation `act` (param: its parameter, default the registry's). */
export function linearActivation(x: Tensor, w: Tensor, b: Tensor | null | undefined, act: string, param?: number): Tensor {
  return linearActivationFrom(x, w, b, act, param, null).out;
}

/**
 * linearActivation where x comes from a fused activation (`from`, as in linearFrom); also returns
 * this activation's own handoff for the layer that consumes `out` (null when it was not fused or
 * nothing is recorded).
 */
export function linearActivationFrom(
  x: Tensor, w: Tensor, b: Tensor | null | undefined, act: string, param: number | undefined, from: Handoff | null,
): { out: Tensor; handoff: Handoff | null } {
  const def = activationDef(act);
  if (!epilogueAct(def) || topLevel(b ? [x, w, b] : [x, w])) {
    return { out: activate(def.name, linearFrom(x, w, b, from), param), handoff: null };
  }
  check(x, w, b);
  checkHandoff(x, from);
  const p = paramOf(def, param);
  const [n, k] = x.shape, m = w.shape[1];
  const recording = isGradEnabled() && (x.requiresGrad || w.requiresGrad || (b?.requiresGrad ?? false));
  // One frozen shape for y and z: Tensor shares a frozen shape instead of copying it.
  const shape = Object.freeze([n, m]);
  const y = new Tensor(allocate(x.dtype, n * m), shape);
  // The pre-activation is a node of the graph (and the derivative reads it): kept only when recording.
  const z = recording ? new Tensor(allocate(x.dtype, n * m), shape) : null;
  gemmFused(getBackend(), false, false, n, m, k, x.data, 0, k, w.data, 0, m, y.data, 0, m, { bias: b?.data, preact: z?.data, act: def.name, actParam: p });
  if (!z) return { out: y, handoff: null };
  recordLinear(z, x, w, b, from);
  const h: Handoff = { output: y, act: def.name, param: p, v: def.grad!.reads === 'x' ? z : y, folded: null };
  record(y, def.name, [z], (g) => {
    const folded = h.folded?.sweep === currentSweep() ? h.folded.grad : null;
    h.folded = null;
    if (!folded) return [activationGrad(def.name, h.v, g, p)];
    // Only the owner's gradient reached y: g′ is already in it.
    if (g === folded) return [g];
    // Other gradients reached y too (found by walking the graph): multiply only those by g′.
    return [add(activationGrad(def.name, h.v, sub(g, folded), p), folded)];
  });
  return { out: y, handoff: h };
}
