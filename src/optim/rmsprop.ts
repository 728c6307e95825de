// RMSprop as torch.optim.RMSprop:
//   v ← αv + (1−α)g²;  (centered: ḡ ← αḡ + (1−α)g, v̂ = v − ḡ²);  d = √v̂ + ε
//   momentum μ > 0: b ← μb + g/d, w ← w − ηb;  else w ← w − η·g/d
import type { FloatArray } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveOptions, type RmspropOptions } from './config.js';
import { Optimizer, type ParamState } from './optimizer.js';

export type { RmspropOptions } from './config.js';

export class RMSprop extends Optimizer {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;

  constructor(params: Iterable<Tensor>, opts: RmspropOptions = {}) {
    const o = resolveOptions('rmsprop', opts, 'RMSprop');
    super(params, o.lr);
    this.alpha = o.alpha;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.momentum = o.momentum;
    this.centered = o.centered;
  }

  get type(): string { return 'RMSprop'; }

  options(): Record<string, number | boolean> {
    return { alpha: this.alpha, eps: this.eps, weightDecay: this.weightDecay, momentum: this.momentum, centered: this.centered };
  }


  protected override initState(p: Tensor): ParamState {
    const s: ParamState = { step: 0, squareAvg: this.buffer(p) };
    if (this.momentum > 0) s.momentumBuffer = this.buffer(p);
    if (this.centered) s.gradAvg = this.buffer(p);
    return s;
  }

  protected update(w: FloatArray, g: FloatArray, s: ParamState): void {
    const n = w.length, lr = this.lr, a = this.alpha, eps = this.eps, wd = this.weightDecay, mu = this.momentum;
    s.step = (s.step as number) + 1;
    const v = s.squareAvg as FloatArray;
    const gAvg = this.centered ? (s.gradAvg as FloatArray) : null;
    const buf = mu > 0 ? (s.momentumBuffer as FloatArray) : null;
    for (let i = 0; i < n; i++) {
      const gi = g[i] + wd * w[i];
      v[i] = a * v[i] + (1 - a) * gi * gi;
      let avg: number;
      if (gAvg) {
        gAvg[i] = a * gAvg[i] + (1 - a) * gi;
        avg = Math.sqrt(v[i] - gAvg[i] * gAvg[i]) + eps;
      } else {
        avg = Math.sqrt(v[i]) + eps;
      }
      if (buf) {
        buf[i] = mu * buf[i] + gi / avg;
        w[i] -= lr * buf[i];
      } else {
        w[i] -= (lr * gi) / avg;
      }
    }
  }
}
