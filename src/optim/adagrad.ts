// Adagrad as torch.optim.Adagrad:
//   t ← t + 1;  g ← g + λw;  η̃ = η / (1 + (t−1)·lrDecay);  S ← S + g²;  w ← w − η̃·g / (√S + ε)
import type { FloatArray } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamState } from './optimizer.js';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

export class Adagrad extends Optimizer {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;

  constructor(params: Iterable<Tensor>, opts: AdagradOptions = {}) {
    super(params, opts.lr ?? 0.01);
    this.lrDecay = opts.lrDecay ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    this.initialAccumulatorValue = opts.initialAccumulatorValue ?? 0;
    this.eps = opts.eps ?? 1e-10;
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
