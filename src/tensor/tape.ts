// The tape, and grad mode. It lives with Tensor so that autograd (backward, transforms) sits above
// tensor/ and nothing here imports it. Every differentiable op calls `record`, which links its output to its inputs and a
// vector-Jacobian product (VJP). The Jacobian itself is never formed (DESIGN decision 1).
import { getBackend } from '../backend/select.js';
import { allocate, Tensor } from './tensor.js';

/** Given ∂L/∂out, return ∂L/∂input for each input (null where an input needs no gradient). */
export type Vjp = (g: Tensor) => (Tensor | null)[];

export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Null once a backward pass has freed it (retainGraph was false). */
  vjp: Vjp | null;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Run fn without recording (inference, parameter updates), like torch.no_grad. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Run fn with recording on, even inside noGrad (used for createGraph backward passes). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Link `out` into the graph if recording and any input requires a gradient. Returns out. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], vjp: Vjp): Tensor {
  if (!gradEnabled) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) { needed = true; break; }
  if (!needed) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, vjp };
  return out;
}

// The running backward sweep (autograd's): a number that tells one sweep from the next, the
// tensors whose gradients it hands back as they are (the inputs gradients() was given), and
// whether VJPs may add into leaves' gradient buffers in place (see claimZeroGradient).
let sweepCount = 0;
let running: { readonly id: number; readonly targets: ReadonlySet<Tensor> | null; readonly inPlace: boolean } | null = null;

/**
 * Run one backward sweep (fn) that returns the gradients of `targets` (null: leaves' .grad).
 * `inPlace`: the sweep is a backward() whose gradients nobody inspects on the way (no createGraph,
 * no checkFinite), so a VJP may add a leaf's gradient into its owned .grad buffer directly.
 */
export function withSweep<T>(targets: ReadonlySet<Tensor> | null, fn: () => T, inPlace = false): T {
  const prev = running;
  running = { id: ++sweepCount, targets, inPlace: inPlace && targets === null };
  try {
    return fn();
  } finally {
    running = prev;
  }
}

/** The running sweep's number (0 outside one). */
export function currentSweep(): number {
  return running?.id ?? 0;
}

/**
 * Whether t's gradient is read as such after the running sweep: retainGrad(), or gradients()
 * asked for it. A VJP may fold the next op's derivative into the gradient it returns for t only
 * when it is not.
 */
export function gradientObserved(t: Tensor): boolean {
  return t.retainsGrad || (running?.targets?.has(t) ?? false);
}

// Gradient buffers. backward() accumulates into a leaf's .grad in place (as PyTorch does) when
// that tensor is a buffer autograd made for this leaf alone: zeroGrad(false)'s zeros, or the sum
// of two contributions. A gradient handed over as it came out of a VJP may be shared (add's VJP
// passes one tensor to both inputs) or held by the caller, so it is never written into.
const owned = new WeakSet<Tensor>();
// Owned buffers that hold zeros (zeroGrad(false) since the last write): the first contribution may
// simply be written over them, which gives the same bits as a fresh gradient.
const zeroed = new WeakSet<Tensor>();

/** Mark g as a gradient buffer that only t.grad refers to (see above). */
export function ownGradBuffer(g: Tensor): Tensor {
  owned.add(g);
  return g;
}

/** Whether t.grad is an owned buffer of t's shape and dtype, outside any graph. */
export function hasOwnedGrad(t: Tensor): boolean {
  const g = t.grad;
  return g !== null && owned.has(g) && g.node === null && !g.requiresGrad && g.dtype === t.dtype && g.size === t.size;
}

/** Add g into t's owned .grad buffer (backward()'s accumulation when hasOwnedGrad(t)). */
export function addIntoGradBuffer(t: Tensor, g: Tensor): void {
  const buf = t.grad!;
  // Into zeros the sum is g itself: a copy, so that the result is g's bits exactly (0 + x is x).
  if (zeroed.delete(buf)) buf.data.set(g.data);
  else getBackend().axpy(t.size, 1, g.data, buf.data);
}

/**
 * The zeroed .grad buffer of leaf t for a VJP to write its contribution into (a GEMM with beta = 0
 * straight into the buffer instead of a fresh product that backward() then adds), or null: only
 * during a backward() that does not record, and only while the buffer still holds zeros. The VJP
 * then returns null for t (nothing left to add); the buffer no longer counts as zeroed.
 */
export function claimZeroGradient(t: Tensor): Tensor | null {
  if (!running?.inPlace || gradEnabled || t.node !== null || !t.requiresGrad || !hasOwnedGrad(t)) return null;
  return zeroed.delete(t.grad!) ? t.grad : null;
}

/**
 * Clear the parameters' gradients before a backward(): setToNone (PyTorch's default) drops them;
 * false keeps each one's buffer and fills it with zeros (a new owned zero buffer the first time),
 * so that backward() writes or adds into it in place with no allocation per step, like PyTorch's
 * zero_grad(set_to_none=False).
 */
export function zeroGradients(params: Iterable<Tensor>, setToNone: boolean): void {
  for (const p of params) {
    if (setToNone) {
      p.grad = null;
      continue;
    }
    if (hasOwnedGrad(p)) p.grad!.data.fill(0);
    else p.grad = ownGradBuffer(new Tensor(allocate(p.dtype, p.size), p.shape));
    zeroed.add(p.grad!);
  }
}
