// SGD with momentum, dampening, Nesterov and (coupled) weight decay, exactly as torch.optim.SGD:
//   g ← ∇ + λw;  b ← g (first step) or μb + (1 − τ)g;  g ← g + μb (Nesterov) or b;  w ← w − η·g
import type { FloatArray } from '../backend/backend.js';
import { getBackend } from '../backend/select.js';
import { sgdMomentumStep } from '../backend/fused.js';
import { ConfigError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveOptions, type SgdOptions } from './config.js';
import { Optimizer, type ParamState } from './optimizer.js';

export type { SgdOptions } from './config.js';

export class SGD extends Optimizer {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;

  constructor(params: Iterable<Tensor>, opts: SgdOptions = {}) {
    const o = resolveOptions('sgd', opts, 'SGD');
    super(params, o.lr);
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.nesterov = o.nesterov;
    this.weightDecay = o.weightDecay;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ConfigError('SGD: Nesterov momentum requires momentum > 0 and dampening = 0');
    }
  }

  get type(): string { return 'SGD'; }

  options(): Record<string, number | boolean> {
    return { momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }


  protected update(w: FloatArray, g: FloatArray, s: ParamState): void {
    const n = w.length, lr = this.lr, wd = this.weightDecay, mu = this.momentum;
    if (mu === 0 && wd === 0) {
      // Plain gradient descent, the notes' w ← w − η∇: one BLAS axpy.
      getBackend().axpy(n, -lr, g, w);
      return;
    }
    if (mu === 0) {
      for (let i = 0; i < n; i++) w[i] -= lr * (g[i] + wd * w[i]);
      return;
    }
    // Momentum: decay, momentum buffer and update in one pass (the backend's kernel where it has one).
    const first = s.buf === undefined;
    const buf = (s.buf ??= new (w.constructor as Float32ArrayConstructor)(n)) as FloatArray;
    sgdMomentumStep(getBackend(), n, w, g, buf, lr, mu, this.dampening, wd, this.nesterov, first);
  }
}
