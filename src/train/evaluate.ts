// evaluate() and predict(): batched forward passes under noGrad, in eval mode (dropout off).
import { noGrad } from '../tensor/tape.js';
import { ConfigError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { getLoss, type LossFn } from '../nn/losses/table.js';
import { allocate, Tensor } from '../tensor/tensor.js';
import { Batcher, rowsOf } from './batches.js';
import { createMetric, type Metric } from './metrics.js';
import { cast } from '../tensor/ops/movement.js';

export interface FitData {
  x: Tensor;
  y: Tensor;
}

export interface EvaluateOptions {
  batchSize?: number;
  loss?: string | LossFn;
  metrics?: (string | Metric)[];
  fromLogits?: boolean;
}

/** Run fn with the model in eval mode, restoring its mode afterwards. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  try { return fn(); } finally { for (const [m, t] of modes) m.training = t; }
}

export function resolveLossFn(loss: string | LossFn | undefined, data: { task?: unknown }): LossFn {
  if (typeof loss === 'function') return loss;
  return getLoss(loss ?? (data.task === 'classification' ? 'crossEntropy' : 'mse'));
}

/** Whether predictions are logits: as asked, else when the loss's name says "with logits". */
export function fromLogitsOf(loss: string | LossFn | undefined, flag: boolean | undefined): boolean {
  return flag ?? (typeof loss === 'string' && /withlogits/i.test(loss));
}

export function makeMetrics(list: (string | Metric)[] | undefined, fromLogits: boolean): Metric[] {
  return (list ?? []).map((m) => (typeof m === 'string' ? createMetric(m, { fromLogits }) : m));
}

/** Mean loss (weighted by rows) and metrics over a data set. */
export function evaluate(model: Module, data: FitData & { task?: unknown }, opts: EvaluateOptions = {}): Record<string, number> {
  const lossFn = resolveLossFn(opts.loss, data);
  const metrics = makeMetrics(opts.metrics, fromLogitsOf(opts.loss, opts.fromLogits));
  const n = data.x.shape[0];
  if (n === 0) throw new ConfigError('evaluate: no rows');
  const b = new Batcher(data.x, data.y, opts.batchSize ?? 256);
  let total = 0;
  for (const m of metrics) m.reset();
  inEvalMode(model, () => noGrad(() => {
    for (let i = 0; i < b.numBatches; i++) {
      const [x, y] = b.batch(i, false);
      const pred = model.forward(x);
      total += lossFn(pred, y).item() * x.shape[0];
      for (const m of metrics) m.update(pred, y);
    }
  }));
  const out: Record<string, number> = { loss: total / n };
  for (const m of metrics) out[m.name] = m.result();
  return out;
}

/** evaluate() over a batch stream (one pass), for data that does not fit in memory. */
export async function evaluateStream(model: Module, data: AsyncIterable<FitData>, opts: EvaluateOptions = {}): Promise<Record<string, number>> {
  const lossFn = resolveLossFn(opts.loss, data as { task?: unknown });
  const metrics = makeMetrics(opts.metrics, fromLogitsOf(opts.loss, opts.fromLogits));
  const dtype = model.parameters()[0]?.dtype ?? 'float32';
  let total = 0, n = 0;
  for (const m of metrics) m.reset();
  for await (const batch of data) {
    const x = cast(batch.x, dtype), y = cast(batch.y, dtype);
    inEvalMode(model, () => noGrad(() => {
      const pred = model.forward(x);
      total += lossFn(pred, y).item() * x.shape[0];
      for (const m of metrics) m.update(pred, y);
    }));
    n += x.shape[0];
  }
  if (n === 0) throw new ConfigError('evaluate: the stream gave no rows (is the validation part empty?)');
  const out: Record<string, number> = { loss: total / n };
  for (const m of metrics) out[m.name] = m.result();
  return out;
}

/** Model outputs for every row of x, computed batchSize rows at a time. */
export function predict(model: Module, x: Tensor, opts: { batchSize?: number } = {}): Tensor {
  const n = x.shape[0];
  const bs = Math.max(1, opts.batchSize ?? 256);
  if (n <= bs) return inEvalMode(model, () => noGrad(() => model.forward(x)));
  let out: Tensor | null = null;
  inEvalMode(model, () => noGrad(() => {
    for (let s = 0; s < n; s += bs) {
      const rows = Math.min(bs, n - s);
      const y = model.forward(rowsOf(x, s, s + rows));
      const k = y.size / rows;
      out ??= new Tensor(allocate(y.dtype, n * k), [n, ...y.shape.slice(1)]);
      out.data.set(y.data, s * k);
    }
  }));
  return out!;
}
