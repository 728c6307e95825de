// fit(): the notes' generic MLP learning algorithm. Each step runs the forward pass, the loss
// J = L (+ s = λ/2·Σ‖W‖² with `l2`), backward, and one optimizer update. batchSize picks the
// regime: the whole set (learning by epoch), minibatches, or 1 (online learning).
import { ConfigError, NonFiniteError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LossFn } from '../nn/losses/table.js';
import { l2Penalty } from '../nn/regularizers.js';
import { clipGradNorm, clipGradValue } from '../optim/clip.js';
import { createOptimizer } from '../optim/create.js';
import { Optimizer, type OptimizerState } from '../optim/optimizer.js';
import type { LRScheduler, SchedulerState } from '../optim/schedulers.js';
import { Rng } from '../random.js';
import { add } from '../tensor/ops/elementwise.js';
import { cast } from '../tensor/ops/movement.js';
import { deserializeModel, serializeModel, type ModelFile } from '../io/model-file.js';
import { Batcher, rowsOf } from './batches.js';
import { isBatchStream, type BatchStream } from '../data/stream.js';
import type { Tensor } from '../tensor/tensor.js';
import { nonFiniteReason } from './guard.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { evaluate, evaluateStream, fromLogitsOf, makeMetrics, resolveLossFn, type FitData } from './evaluate.js';
import type { Metric } from './metrics.js';

/** Per-epoch values: epoch numbers, loss, val_loss, metrics (and val_ metrics), lr. */
export interface History {
  epoch: number[];
  [key: string]: number[];
}

export interface BatchLogs {
  epoch: number;
  batch: number;
  numBatches: number;
  size: number;
  loss: number;
  samplesPerSec: number;
}

export interface EpochLogs {
  epoch: number;
  epochs: number;
  seconds: number;
  samplesPerSec: number;
  [key: string]: number;
}

type Maybe = void | 'stop' | Promise<void | 'stop'>;

/** Progress hooks (the CLI draws its bar from these). Returning 'stop' ends training after this epoch. */
export interface Callbacks {
  onTrainBegin?(): Maybe;
  onTrainEnd?(history: History): Maybe;
  onEpochBegin?(epoch: number): Maybe;
  onEpochEnd?(epoch: number, logs: EpochLogs): Maybe;
  onBatchBegin?(batch: number, epoch: number): Maybe;
  onBatchEnd?(batch: number, logs: BatchLogs): Maybe;
}

export interface CheckpointOptions {
  /** Where to write; '{epoch}' is replaced by the epoch number (1-based). */
  path: string;
  /** Write every this many epochs (default 1); the last epoch is always written. */
  every?: number;
  /** Writes the bytes (e.g. writeFileAtomic from 'nabla/node'); injected to keep fit browser-safe. */
  write: (path: string, bytes: Uint8Array) => void | Promise<void>;
  meta?: Record<string, unknown>;
}

export interface FitOptions {
  epochs?: number;
  /** Rows per update: the data size or Infinity = learning by epoch, 1 = online (default 32). */
  batchSize?: number;
  shuffle?: boolean;
  /** Seeds the shuffling (default 0). */
  seed?: number;
  loss?: string | LossFn;
  /** An optimizer instance, or a name ('sgd', 'adam', ...) built with lr and optimizerOptions. */
  optimizer?: Optimizer | string;
  lr?: number;
  optimizerOptions?: Record<string, unknown>;
  /** λ of the notes' L2 penalty s = λ/2·Σ‖W‖²_F added to the loss (weights only). */
  l2?: number;
  scheduler?: LRScheduler | ((opt: Optimizer) => LRScheduler);
  clipNorm?: number;
  clipValue?: number;
  /** Validation rows in memory, or a batch stream read once per epoch. */
  validationData?: FitData | BatchStream;
  /** Fraction of rows, taken from the end before shuffling, held out for validation (Keras). */
  validationSplit?: number;
  metrics?: (string | Metric)[];
  /** Binary accuracy thresholds logits at 0 instead of probabilities at 0.5 (default: loss is bceWithLogits). */
  fromLogits?: boolean;
  earlyStopping?: EarlyStoppingOptions | boolean;
  callbacks?: Callbacks | Callbacks[];
  checkpoint?: CheckpointOptions;
  /**
   * A NaN/infinite loss or gradient: 'stop' (default) throws NonFiniteError naming the epoch, the
   * batch and the first bad parameter, leaving the weights of the last good step; 'skip' drops
   * that batch's update and goes on (the count is in history.skipped_batches).
   */
  onNonFinite?: 'stop' | 'skip';
  /** Continue from a checkpoint (its bytes or the loaded file). */
  resume?: Uint8Array | ModelFile;
}

interface TrainingState {
  epoch: number;
  rng: number[];
  scheduler?: SchedulerState;
  early?: unknown;
  extra: Record<string, unknown>;
}

/** Train `model` on data {x, y}; resolves to the per-epoch history. */
export async function fit(model: Module, data: (FitData | BatchStream) & { task?: unknown }, opts: FitOptions = {}): Promise<History> {
  const named = model.namedParameters();
  const params = named.map(([, p]) => p);
  if (params.length === 0) throw new ConfigError('fit: the model has no parameters');
  const dtype = params[0].dtype;
  const source = batchSource(data, dtype, opts);
  const valData = opts.validationData ?? source.validation;
  const val = valData && (isBatchStream(valData) ? valData : { x: cast(valData.x, dtype), y: cast(valData.y, dtype) });
  const epochs = opts.epochs ?? 1;
  const fromLogits = fromLogitsOf(opts.loss, opts.fromLogits);
  const lossFn = resolveLossFn(opts.loss, data);
  const optimizer = opts.optimizer instanceof Optimizer
    ? opts.optimizer
    : createOptimizer(opts.optimizer ?? 'sgd', params, { ...opts.optimizerOptions, ...(opts.lr !== undefined ? { lr: opts.lr } : {}) });
  const scheduler = typeof opts.scheduler === 'function' ? opts.scheduler(optimizer) : opts.scheduler;
  const metrics = makeMetrics(opts.metrics, fromLogits);
  const valMetrics = makeMetrics(opts.metrics, fromLogits);
  const callbacks = opts.callbacks === undefined ? [] : Array.isArray(opts.callbacks) ? opts.callbacks : [opts.callbacks];
  const shuffle = opts.shuffle ?? true;
  const rng = new Rng(opts.seed ?? 0);
  const monitorDefault = val ? 'val_loss' : 'loss';
  const early = opts.earlyStopping
    ? new EarlyStopping(opts.earlyStopping === true ? {} : opts.earlyStopping, monitorDefault)
    : null;
  let history: History = { epoch: [] };
  let startEpoch = 0;

  if (opts.resume) {
    const file = opts.resume instanceof Uint8Array ? deserializeModel(opts.resume, 'checkpoint') : opts.resume;
    const t = file.training as TrainingState | undefined;
    if (!t) throw new ConfigError('fit: the resume file has no training state (it is a saved model, not a checkpoint)');
    model.loadStateDict(file.state);
    if (file.optimizer) optimizer.loadStateDict(file.optimizer as OptimizerState);
    rng.setState(t.rng);
    if (t.scheduler && scheduler) scheduler.loadStateDict(t.scheduler);
    if (t.early && early) early.load(t.early);
    for (const [name, m] of model.namedModules()) if (name in t.extra) m.setExtraState(t.extra[name]);
    history = (file.history as History | undefined) ?? history;
    startEpoch = t.epoch;
  }

  const emit = async (fn: (c: Callbacks) => Maybe): Promise<boolean> => {
    let stop = false;
    for (const c of callbacks) {
      let r = fn(c);
      if (r instanceof Promise) r = await r;
      if (r === 'stop') stop = true;
    }
    return stop;
  };
  const now = (): number => globalThis.performance.now();

  await emit((c) => c.onTrainBegin?.());
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    let stop = await emit((c) => c.onEpochBegin?.(epoch));
    model.train();
    for (const m of metrics) m.reset();
    const t0 = now();
    let lossSum = 0, counted = 0, skipped = 0, b = -1, seen = 0;
    const numBatches = source.numBatches;
    for await (const [xb, yb] of source.epoch(shuffle ? rng : null)) {
      b++;
      seen += xb.shape[0];
      if (callbacks.length) await emit((c) => c.onBatchBegin?.(b, epoch));
      const tb = now();
      optimizer.zeroGrad();
      const pred = model.forward(xb);
      let J = lossFn(pred, yb);
      if (opts.l2) J = add(J, l2Penalty(params, opts.l2));
      J.backward();
      const loss = J.item(), rows = xb.shape[0];
      const bad = nonFiniteReason(loss, named);
      if (bad) {
        if (opts.onNonFinite !== 'skip') {
          throw new NonFiniteError(`fit: ${bad} at epoch ${epoch + 1}, batch ${b + 1} of ${numBatches}; the weights are those of the last good step (use onNonFinite: 'skip' to drop such batches, or lower the learning rate)`);
        }
        skipped++;
        continue;
      }
      if (opts.clipValue !== undefined) clipGradValue(params, opts.clipValue);
      if (opts.clipNorm !== undefined) clipGradNorm(params, opts.clipNorm);
      optimizer.step();
      lossSum += loss * rows;
      counted += rows;
      for (const m of metrics) m.update(pred, yb);
      if (callbacks.length) {
        const logs: BatchLogs = { epoch, batch: b, numBatches, size: rows, loss, samplesPerSec: rows / Math.max(1e-9, (now() - tb) / 1000) };
        if (await emit((c) => c.onBatchEnd?.(b, logs))) stop = true;
      }
    }
    const seconds = (now() - t0) / 1000;
    const logs: EpochLogs = { epoch, epochs, seconds, samplesPerSec: seen / Math.max(1e-9, seconds), loss: lossSum / Math.max(1, counted) };
    if (opts.onNonFinite === 'skip') logs.skipped_batches = skipped;
    for (const m of metrics) logs[m.name] = m.result();
    if (val) {
      const v = isBatchStream(val)
        ? await evaluateStream(model, val, { loss: lossFn, metrics: valMetrics })
        : evaluate(model, val, { loss: lossFn, metrics: valMetrics, batchSize: Math.max(256, source.batchSize) });
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    }
    logs.lr = optimizer.lr;
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      if (k === 'epoch' || k === 'epochs' || k === 'seconds' || k === 'samplesPerSec') continue;
      (history[k] ??= []).push(v);
    }
    if (scheduler) {
      const key = (scheduler.type === 'ReduceLROnPlateau' && early?.monitor) || monitorDefault;
      scheduler.step(logs[key]);
    }
    if (early && early.update(logs, model, epoch)) stop = true;
    const last = epoch + 1 === epochs || stop;
    if (opts.checkpoint && (last || (epoch + 1) % (opts.checkpoint.every ?? 1) === 0)) {
      const training: TrainingState = {
        epoch: epoch + 1, rng: rng.getState(), scheduler: scheduler?.stateDict(), early: early?.state(),
        extra: Object.fromEntries(model.namedModules().map(([n, m]) => [n, m.getExtraState()]).filter(([, s]) => s !== undefined)),
      };
      const bytes = serializeModel(model, { optimizer, history, training, meta: opts.checkpoint.meta });
      const r = opts.checkpoint.write(opts.checkpoint.path.replace('{epoch}', String(epoch + 1)), bytes);
      if (r instanceof Promise) await r;
    }
    if (await emit((c) => c.onEpochEnd?.(epoch, logs))) stop = true;
    if (stop) break;
  }
  if (early) early.restore(model);
  await emit((c) => c.onTrainEnd?.(history));
  return history;
}


/** Where an epoch's batches come from: a Batcher over tensors in memory, or a stream read again each epoch. */
interface BatchSource {
  numBatches: number;
  batchSize: number;
  validation?: FitData;
  epoch(rng: Rng | null): Iterable<[Tensor, Tensor]> | AsyncIterable<[Tensor, Tensor]>;
}

function batchSource(data: FitData | BatchStream, dtype: Tensor['dtype'], opts: FitOptions): BatchSource {
  if (isBatchStream(data)) {
    // The stream batches and shuffles itself (a seeded shuffle buffer); fit only casts.
    if (opts.validationSplit) throw new ConfigError('fit: validationSplit needs data in memory; a stream holds out rows itself (validation option of its batches)');
    return {
      numBatches: data.numBatches ?? NaN,
      batchSize: opts.batchSize ?? 32,
      async *epoch() { for await (const { x, y } of data) yield [cast(x, dtype), cast(y, dtype)]; },
    };
  }
  let x = cast(data.x, dtype), y = cast(data.y, dtype);
  if (x.shape[0] !== y.shape[0]) throw new ConfigError(`fit: x has ${x.shape[0]} rows but y has ${y.shape[0]}`);
  let validation: FitData | undefined;
  if (opts.validationSplit) {
    const f = opts.validationSplit;
    if (!(f > 0 && f < 1)) throw new ConfigError(`fit: validationSplit must be in (0, 1), got ${f}`);
    const nTrain = Math.floor(x.shape[0] * (1 - f));
    validation = { x: rowsOf(x, nTrain, x.shape[0]), y: rowsOf(y, nTrain, y.shape[0]) };
    x = rowsOf(x, 0, nTrain); y = rowsOf(y, 0, nTrain);
  }
  const batcher = new Batcher(x, y, opts.batchSize ?? 32);
  return {
    numBatches: batcher.numBatches,
    batchSize: batcher.batchSize,
    validation,
    *epoch(rng) {
      if (rng) batcher.shuffle(rng);
      for (let b = 0; b < batcher.numBatches; b++) yield batcher.batch(b, rng !== null);
    },
  };
}
