// Adam and AdamW as torch.optim documents them (bias-corrected moments, optional AMSGrad):
//   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − (η/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)
// Adam adds λw to g (coupled L2); AdamW first shrinks w ← w(1 − ηλ) (decoupled weight decay).
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { ConfigError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamState } from './optimizer.js';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  protected readonly decoupled: boolean = false;

  constructor(params: Iterable<Tensor>, opts: AdamOptions = {}, defaultWeightDecay = 0) {
    super(params, opts.lr ?? 1e-3);
    [this.beta1, this.beta2] = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? defaultWeightDecay;
    this.amsgrad = opts.amsgrad ?? false;
    for (const b of [this.beta1, this.beta2]) {
      if (!(b >= 0 && b < 1)) throw new ConfigError(`${this.type}: betas must be in [0, 1), got [${this.beta1}, ${this.beta2}]`);
    }
  }

  get type(): string { return 'Adam'; }

  options(): Record<string, number | boolean> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }


  protected override initState(p: Tensor): ParamState {
    const s: ParamState = { step: 0, expAvg: this.buffer(p), expAvgSq: this.buffer(p) };
    if (this.amsgrad) s.maxExpAvgSq = this.buffer(p);
    return s;
  }

  protected update(w: FloatArray, g: FloatArray, s: ParamState): void {
    const n = w.length, lr = this.lr, b1 = this.beta1, b2 = this.beta2, eps = this.eps;
    const t = (s.step as number) + 1;
    s.step = t;
    const m = s.expAvg as FloatArray, v = s.expAvgSq as FloatArray;
    const vmax = this.amsgrad ? ((s.maxExpAvgSq as FloatArray | undefined) ?? null) : null;
    const wd = this.weightDecay;
    const coupled = this.decoupled ? 0 : wd;
    const shrink = this.decoupled ? 1 - lr * wd : 1;
    const stepSize = lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    if (!vmax) {
      getBackend().adamStep(n, w, g, m, v, stepSize, b1, b2, eps, bc2Sqrt, coupled, shrink);
      return;
    }
    // AMSGrad keeps the running maximum of v: rare enough to stay here rather than in the kernels.
    for (let i = 0; i < n; i++) {
      if (shrink !== 1) w[i] *= shrink;
      const gi = g[i] + coupled * w[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      if (v[i] > vmax[i]) vmax[i] = v[i];
      w[i] -= (stepSize * m[i]) / (Math.sqrt(vmax[i]) / bc2Sqrt + eps);
    }
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter); PyTorch's default weightDecay 0.01. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: Iterable<Tensor>, opts: AdamOptions = {}) {
    super(params, opts, 0.01);
  }

  override get type(): string { return 'AdamW'; }
}
