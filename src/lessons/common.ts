// Small helpers the lessons share: a seeded full-batch trainer for tiny classifiers and counts.
import { Adam } from '../optim/adam.js';
import { fit } from '../train/fit.js';
import { predict } from '../train/evaluate.js';
import type { Module } from '../nn/module.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** Train a one-logit classifier on all rows (full batch, Adam), as the notes' toy problems are trained. */
export async function trainBinary(model: Module, x: Tensor, t: Tensor, epochs: number, lr: number): Promise<void> {
  await fit(model, { x, y: t }, { epochs, batchSize: x.shape[0], loss: 'bceWithLogits', optimizer: new Adam(model.parameters(), { lr }), shuffle: false });
}

/** Class 1 where the logit is positive. */
export function classesOf(model: Module, x: Tensor | number[][]): number[] {
  const xt = Array.isArray(x) ? tensor(x, { dtype: model.parameters()[0].dtype }) : x;
  return Array.from(predict(model, xt).data, (v) => (v > 0 ? 1 : 0));
}

/** Fraction of rows classified correctly. */
export function accuracy(pred: number[], t: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === t[i]) ok++;
  return ok / pred.length;
}

export const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Least-squares slope of y on x (the lessons fit log-log lines with it). */
export function slope(x: number[], y: number[]): number {
  const n = x.length, mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { num += (x[i] - mx) * (y[i] - my); den += (x[i] - mx) ** 2; }
  return num / den;
}

export function verdict(holds: boolean): string {
  return holds ? 'The claim holds.' : 'The claim does NOT hold in this run.';
}
