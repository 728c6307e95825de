// Metrics as streaming accumulators, so they are exact over minibatches: update(pred, target)
// per batch, result() at the end. Classification targets are labels [n] or one-hot [n, k].
import type { FloatArray } from '../backend/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

export interface Metric {
  readonly name: string;
  /** Whether larger is better (early stopping and plateau schedules use this). */
  readonly higherIsBetter: boolean;
  reset(): void;
  update(pred: Tensor, target: Tensor): void;
  result(): number;
}

export interface MetricContext {
  /** Binary outputs are logits (threshold 0) rather than probabilities (threshold 0.5). */
  fromLogits?: boolean;
}

/** The label of row i of one-hot / probability targets [n, k]: the argmax. */
function label(t: FloatArray, k: number, i: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (t[i * k + j] > t[i * k + best]) best = j;
  return best;
}

function width(t: Tensor): number {
  return t.ndim < 2 ? 1 : t.size / t.shape[0];
}

class TopK implements Metric {
  readonly higherIsBetter = true;
  private hit = 0;
  private count = 0;
  constructor(readonly name: string, private readonly k: number, private readonly threshold: number) {}
  reset(): void { this.hit = 0; this.count = 0; }
  update(pred: Tensor, target: Tensor): void {
    const n = pred.shape[0], c = width(pred), tk = width(target);
    const p = pred.data, t = target.data;
    for (let i = 0; i < n; i++) {
      const y = tk === c && c > 1 ? label(t, tk, i) : t[i];
      if (c === 1) { if ((p[i] > this.threshold ? 1 : 0) === Math.round(y)) this.hit++; continue; }
      if (!Number.isInteger(y) || y < 0 || y >= c) {
        throw new ShapeError(`${this.name}: label ${y} in row ${i} is not a class index in [0, ${c})`);
      }
      // Rank of the true class: how many scores beat it (ties count against, as torch.topk is not stable).
      const s = p[i * c + y];
      let above = 0;
      for (let j = 0; j < c && above < this.k; j++) if (j !== y && p[i * c + j] > s) above++;
      if (above < this.k) this.hit++;
    }
    this.count += n;
  }
  result(): number { return this.count ? this.hit / this.count : NaN; }
}

class MeanError implements Metric {
  readonly higherIsBetter = false;
  private total = 0;
  private count = 0;
  constructor(readonly name: string, private readonly squared: boolean) {}
  reset(): void { this.total = 0; this.count = 0; }
  update(pred: Tensor, target: Tensor): void {
    const p = pred.data, t = target.data;
    for (let i = 0; i < p.length; i++) { const d = p[i] - t[i]; this.total += this.squared ? d * d : Math.abs(d); }
    this.count += p.length;
  }
  result(): number { return this.count ? (this.squared ? Math.sqrt(this.total / this.count) : this.total / this.count) : NaN; }
}

/** R² = 1 − SS_res / SS_tot per output column, averaged (scikit-learn's uniform average). */
class R2 implements Metric {
  readonly name = 'r2';
  readonly higherIsBetter = true;
  private s: Float64Array[] = [];
  reset(): void { this.s = []; }
  update(pred: Tensor, target: Tensor): void {
    const n = pred.shape[0], k = width(pred);
    if (this.s.length === 0) this.s = [new Float64Array(k), new Float64Array(k), new Float64Array(k), new Float64Array(1)];
    const [sy, syy, sres, cnt] = this.s;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const y = target.data[i * k + j], d = pred.data[i * k + j] - y;
        sy[j] += y; syy[j] += y * y; sres[j] += d * d;
      }
    }
    cnt[0] += n;
  }
  result(): number {
    if (!this.s.length) return NaN;
    const [sy, syy, sres, cnt] = this.s, n = cnt[0];
    let r = 0;
    for (let j = 0; j < sy.length; j++) r += 1 - sres[j] / (syy[j] - (sy[j] * sy[j]) / n);
    return r / sy.length;
  }
}

/** A metric by name: 'accuracy' ('acc'), 'topK' / 'top5' ..., 'mae', 'rmse', 'r2'. */
export function createMetric(name: string, ctx: MetricContext = {}): Metric {
  const thr = ctx.fromLogits ? 0 : 0.5;
  const lower = name.toLowerCase();
  if (lower === 'accuracy' || lower === 'acc') return new TopK('accuracy', 1, thr);
  const top = /^top_?(\d*)k?$/.exec(lower.replace('topk', 'top5'));
  if (top) { const k = Number(top[1] || 5); return new TopK(`top${k}`, k, thr); }
  if (lower === 'mae') return new MeanError('mae', false);
  if (lower === 'rmse') return new MeanError('rmse', true);
  if (lower === 'r2') return new R2();
  throw new ConfigError(`unknown metric '${name}': use accuracy, topK (or top3, top5...), mae, rmse or r2`);
}

/** Whether lower is better for a monitored quantity (losses and errors), from its name. */
export function lowerIsBetter(name: string): boolean {
  const base = name.replace(/^val_/, '');
  return !/^(accuracy|acc|top\d+|r2)$/.test(base);
}
