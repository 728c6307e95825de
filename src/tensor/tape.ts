// The tape, and grad mode. It lives with Tensor so that autograd (backward, transforms) sits above
// tensor/ and nothing here imports it. Every differentiable op calls `record`, which links its output to its inputs and a
// vector-Jacobian product (VJP). The Jacobian itself is never formed (DESIGN decision 1).
import type { Tensor } from './tensor.js';

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

// The running backward sweep (autograd's): a number that tells one sweep from the next, and the
// tensors whose gradients it hands back as they are (the inputs gradients() was given).
let sweepCount = 0;
let running: { readonly id: number; readonly targets: ReadonlySet<Tensor> | null } | null = null;

/** Run one backward sweep (fn) that returns the gradients of `targets` (null: leaves' .grad). */
export function withSweep<T>(targets: ReadonlySet<Tensor> | null, fn: () => T): T {
  const prev = running;
  running = { id: ++sweepCount, targets };
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
