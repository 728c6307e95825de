// fit(): the notes' generic MLP learning algorithm as a thin loop around trainStep (forward, loss
// J = L (+ s = λ/2·Σ‖W‖² with `l2`), backward, guard, clip, update). batchSize picks the regime:
// the whole set (learning by epoch), minibatches, or 1 (online learning). Everything else —
// progress, early stopping, LR schedules, checkpoints — is a callback (callbacks.ts).
import { ConfigError, NonFiniteError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { LossFn } from '../nn/losses/table.js';
import { createOptimizer } from '../optim/create.js';
import { Optimizer, type OptimizerState } from '../optim/optimizer.js';
import type { LRScheduler } from '../optim/schedulers.js';
import { Rng } from '../random.js';
import { cast } from '../tensor/ops/movement.js';
import type { Tensor } from '../tensor/tensor.js';
import { Batcher, rowsOf } from './batches.js';
import {
  LearningRateScheduler, type BatchLogs, type Callback, type CallbackResult, type EpochLogs, type FitContext,
  type History, type TrainingState,
} from './callbacks.js';
import { isBatchStream, type BatchStream } from '../data/stream.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { evaluate, evaluateStream, fromLogitsOf, makeMetrics, resolveLossFn, type FitData } from './evaluate.js';
import type { Metric } from './metrics.js';
import { trainStep, type TrainStepOptions } from './step.js';

export type { BatchLogs, Callbacks, EpochLogs, History } from './callbacks.js';

/** A checkpoint to resume from, as loadModel / deserializeModel return it (these fields are read). */
export interface Checkpoint {
  state: Record<string, Tensor>;
  optimizer?: OptimizerState;
  history?: Record<string, number[]>;
  training?: unknown;
}

export interface FitOptions {
  epochs?: number;
  /** Rows per update: the data size or Infinity = learning by epoch, 1 = online (default 32). */
  batchSize?: number;
  shuffle?: boolean;
  /** The RNG seed of the shuffling (default 0). */
  seed?: number;
  loss?: string | LossFn;
  /** An optimizer instance, or a name ('sgd', 'adam', ...) built with lr and optimizerOptions. */
  optimizer?: Optimizer | string;
  lr?: number;
  optimizerOptions?: Record<string, unknown>;
  /** λ of the notes' L2 penalty s = λ/2·Σ‖W‖²_F added to the loss (weights only). */
  l2?: number;
  /** Shorthand for a LearningRateScheduler callback (run before `callbacks`). */
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
  /** Shorthand for an EarlyStopping callback (run before `callbacks`). */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Run in order after the shorthands above; a ModelCheckpoint (from 'nabla') writes checkpoints. */
  callbacks?: Callback | Callback[];
  /**
   * A NaN/infinite loss or gradient: 'stop' (default) throws NonFiniteError naming the epoch, the
   * batch and the first bad parameter, leaving the weights of the last good step; 'skip' drops
   * that batch's update and goes on (the count is in history.skipped_batches).
   */
  onNonFinite?: 'stop' | 'skip';
  /** Continue from a checkpoint: loadModel(path) or deserializeModel(bytes) of one ModelCheckpoint wrote. */
  resume?: Checkpoint;
}

/** Train `model` on data {x, y}; resolves to the per-epoch history. */
export async function fit(model: Module, data: (FitData | BatchStream) & { task?: unknown }, opts: FitOptions = {}): Promise<History> {
  const params = model.parameters();
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
  const step: TrainStepOptions = { loss: lossFn, optimizer, l2: opts.l2, clipNorm: opts.clipNorm, clipValue: opts.clipValue, onNonFinite: 'skip' };
  const metrics = makeMetrics(opts.metrics, fromLogits);
  const valMetrics = makeMetrics(opts.metrics, fromLogits);
  const shuffle = opts.shuffle ?? true;
  const rng = new Rng(opts.seed ?? 0);
  const callbacks = optionCallbacks(opts, optimizer, val ? 'val_loss' : 'loss');
  let history: History = { epoch: [] };
  let startEpoch = 0;

  const ctx: FitContext & { epoch: number } = {
    model, optimizer, epochs, epoch: startEpoch, stopTraining: false,
    get history() { return history; },
    trainingState(): TrainingState {
      const t: TrainingState = {
        epoch: ctx.epoch + 1, rng: rng.getState(),
        extra: Object.fromEntries(model.namedModules().map(([n, m]) => [n, m.getExtraState()]).filter(([, s]) => s !== undefined)),
      };
      for (const c of callbacks) if (c.stateKey && c.stateDict) t[c.stateKey] = c.stateDict();
      return t;
    },
  };

  if (opts.resume) {
    const file = opts.resume;
    if (file instanceof Uint8Array) throw new ConfigError('fit: resume takes a loaded checkpoint (deserializeModel(bytes) or loadModel(path)), not its bytes');
    const t = file.training as TrainingState | undefined;
    if (!t) throw new ConfigError('fit: the resume file has no training state (it is a saved model, not a checkpoint)');
    model.loadStateDict(file.state);
    if (file.optimizer) optimizer.loadStateDict(file.optimizer);
    rng.setState(t.rng);
    for (const c of callbacks) if (c.stateKey && c.loadStateDict && t[c.stateKey] !== undefined) c.loadStateDict(t[c.stateKey]);
    for (const [name, m] of model.namedModules()) if (name in t.extra) m.setExtraState(t.extra[name]);
    history = (file.history as History | undefined) ?? history;
    startEpoch = t.epoch;
  }

  const emit = async (fn: (c: Callback) => CallbackResult): Promise<void> => {
    for (const c of callbacks) {
      let r = fn(c);
      if (r instanceof Promise) r = await r;
      if (r === 'stop') ctx.stopTraining = true;
    }
  };
  const now = (): number => globalThis.performance.now();

  await emit((c) => c.onTrainBegin?.(ctx));
  for (let epoch = startEpoch; epoch < epochs; epoch++) {
    ctx.epoch = epoch;
    await emit((c) => c.onEpochBegin?.(epoch, ctx));
    model.train();
    for (const m of metrics) m.reset();
    const t0 = now();
    let lossSum = 0, counted = 0, skipped = 0, b = -1, seen = 0;
    const numBatches = source.numBatches;
    for await (const [xb, yb] of source.epoch(shuffle ? rng : null)) {
      b++;
      seen += xb.shape[0];
      if (callbacks.length) await emit((c) => c.onBatchBegin?.(b, epoch, ctx));
      const tb = now();
      const r = trainStep(model, xb, yb, step);
      if (r.skipped) {
        if (opts.onNonFinite !== 'skip') {
          throw new NonFiniteError(`fit: ${r.skipped} at epoch ${epoch + 1}, batch ${b + 1} of ${numBatches}; the weights are those of the last good step (use onNonFinite: 'skip' to drop such batches, or lower the learning rate)`);
        }
        skipped++;
        continue;
      }
      lossSum += r.loss * r.rows;
      counted += r.rows;
      for (const m of metrics) m.update(r.output, yb);
      if (callbacks.length) {
        const logs: BatchLogs = { epoch, batch: b, numBatches, size: r.rows, loss: r.loss, samplesPerSec: r.rows / Math.max(1e-9, (now() - tb) / 1000) };
        await emit((c) => c.onBatchEnd?.(b, logs, ctx));
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
    await emit((c) => c.onEpochEnd?.(epoch, logs, ctx));
    if (ctx.stopTraining) break;
  }
  await emit((c) => c.onTrainEnd?.(history, ctx));
  return history;
}

/**
 * The callbacks that fit's shorthand options stand for, then the user's: the scheduler steps and
 * early stopping decides before a checkpoint is written, so the checkpoint holds their new state.
 */
function optionCallbacks(opts: FitOptions, optimizer: Optimizer, monitorDefault: string): Callback[] {
  const out: Callback[] = [];
  const early = opts.earlyStopping ? new EarlyStopping(opts.earlyStopping === true ? {} : opts.earlyStopping, monitorDefault) : null;
  const scheduler = typeof opts.scheduler === 'function' ? opts.scheduler(optimizer) : opts.scheduler;
  if (scheduler) {
    // ReduceLROnPlateau watches what early stopping watches, so that both agree on "no progress".
    const monitor = (scheduler.type === 'ReduceLROnPlateau' && early?.monitor) || monitorDefault;
    out.push(new LearningRateScheduler(scheduler, monitor));
  }
  if (early) out.push(early);
  if (opts.callbacks) out.push(...(Array.isArray(opts.callbacks) ? opts.callbacks : [opts.callbacks]));
  return out;
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
