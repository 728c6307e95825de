// Gradient clipping, in place on .grad, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_.
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { ConfigError, NonFiniteError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** Distinct gradient buffers: two leaves can share one gradient tensor (add's VJP passes g to both). */
function gradBuffers(params: Iterable<Tensor>): FloatArray[] {
  const seen = new Set<FloatArray>();
  for (const p of params) if (p.grad) seen.add(p.grad.data);
  return [...seen];
}

export interface ClipNormOptions {
  /** p of the p-norm (default 2; Infinity for the max norm). */
  normType?: number;
  /** Throw if the total norm is NaN or infinite (default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scale all gradients together so that their joint norm is at most maxNorm; returns the norm
 * before clipping. Coefficient maxNorm / (norm + 1e-6), capped at 1, as PyTorch.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, opts: ClipNormOptions = {}): number {
  if (!(maxNorm >= 0)) throw new ConfigError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const p = opts.normType ?? 2;
  const bufs = gradBuffers(params);
  let total: number;
  if (p === Infinity) {
    total = 0;
    for (const b of bufs) for (let i = 0; i < b.length; i++) total = Math.max(total, Math.abs(b[i]));
  } else if (p === 2) {
    const be = getBackend();
    let sq = 0;
    for (const b of bufs) sq += be.dot(b.length, b, b);
    total = Math.sqrt(sq);
  } else {
    let acc = 0;
    for (const b of bufs) for (let i = 0; i < b.length; i++) acc += Math.abs(b[i]) ** p;
    total = acc ** (1 / p);
  }
  if (opts.errorIfNonfinite && !Number.isFinite(total)) {
    throw new NonFiniteError(`clipGradNorm: the total gradient norm is ${total}`);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) for (const b of bufs) for (let i = 0; i < b.length; i++) b[i] *= coef;
  return total;
}

/** Clamp every gradient value to [−clipValue, clipValue]. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ConfigError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const b of gradBuffers(params)) {
    for (let i = 0; i < b.length; i++) {
      if (b[i] > clipValue) b[i] = clipValue;
      else if (b[i] < -clipValue) b[i] = -clipValue;
    }
  }
}
