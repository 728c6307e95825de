// Adagrad as torch.optim.Adagrad:
//   t ← t + 1;  g ← g + λw;  η̃ = η / (1 + (t−1)·lrDecay);  S ← S + g²;  w ← w − η̃·g / (√S + ε)
import type { FloatArray } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveOptions, type AdagradOptions } from './config.js';
import { Optimizer, type ParamState } from './optimizer.js';

export type { AdagradOptions } from './config.js';

export class Adagrad extends Optimizer {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;

  constructor(params: Iterable<Tensor>, opts: AdagradOptions = {}) {
    const o = resolveOptions('adagrad', opts, 'Adagrad');
    super(params, o.lr);
    this.lrDecay = o.lrDecay;
    this.weightDecay = o.weightDecay;
    this.initialAccumulatorValue = o.initialAccumulatorValue;
    this.eps = o.eps;
  }

  get type(): string { return 'Adagrad'; }

  options(): Record<string, number | boolean> {
    return { lrDecay: this.lrDecay, weightDecay: this.weightDecay, initialAccumulatorValue: this.initialAccumulatorValue, eps: this.eps };
  }


  protected override initState(p: Tensor): ParamState {
    return { step: 0, sum: this.buffer(p, this.initialAccumulatorValue) };
  }

  protected update(w: FloatArray, g: FloatArray, s: ParamState): void {
    const t = (s.step as number) + 1;
    s.step = t;
    const acc = s.sum as FloatArray, wd = this.weightDecay, eps = this.eps;
    const clr = this.lr / (1 + (t - 1) * this.lrDecay);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] + wd * w[i];
      acc[i] += gi * gi;
      w[i] -= (clr * gi) / (Math.sqrt(acc[i]) + eps);
    }
  }
}
