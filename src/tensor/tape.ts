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
