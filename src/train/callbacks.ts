// What fit() calls around its loop (Keras' callbacks, Lightning's hooks): progress, early
// stopping, LR schedules and checkpoints are all callbacks, run in the order given. Each hook gets
// the FitContext last; returning 'stop' (or setting ctx.stopTraining) ends training after the
// current epoch. A callback with a `stateKey` is saved in checkpoints and restored on resume.
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler, SchedulerState } from '../optim/schedulers.js';

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

/** The resumable state of a run, as a checkpoint stores it (JSON plus typed arrays). */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** The shuffling generator's state. */
  rng: number[];
  /** Modules' extra state (e.g. Dropout's generator), by module name. */
  extra: Record<string, unknown>;
  /** Each stateful callback's stateDict(), under its stateKey ('scheduler', 'early', ...). */
  [stateKey: string]: unknown;
}

/** What a hook can see and steer (Lightning's `trainer`). */
export interface FitContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly history: History;
  /** The current epoch (0-based) and the total asked for. */
  readonly epoch: number;
  readonly epochs: number;
  /** Set to true to end training after this epoch. */
  stopTraining: boolean;
  /** The state a checkpoint taken now must hold for an exact resume. */
  trainingState(): TrainingState;
}

export type CallbackResult = void | 'stop' | Promise<void | 'stop'>;

export interface Callback {
  /** Key of this callback's state in a checkpoint; with stateDict/loadStateDict, resume restores it. */
  readonly stateKey?: string;
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
  onTrainBegin?(ctx: FitContext): CallbackResult;
  onTrainEnd?(history: History, ctx: FitContext): CallbackResult;
  onEpochBegin?(epoch: number, ctx: FitContext): CallbackResult;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: FitContext): CallbackResult;
  onBatchBegin?(batch: number, epoch: number, ctx: FitContext): CallbackResult;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: FitContext): CallbackResult;
}

/** The former name of Callback. */
export type Callbacks = Callback;

/**
 * Steps an LR scheduler after every epoch (Keras' LearningRateScheduler). ReduceLROnPlateau reads
 * `monitor` from the epoch's logs (default 'val_loss' when logged, else 'loss').
 */
export class LearningRateScheduler implements Callback {
  readonly stateKey = 'scheduler';

  constructor(readonly scheduler: LRScheduler, readonly monitor?: string) {}

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    const key = this.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
    this.scheduler.step(logs[key]);
  }

  stateDict(): unknown { return this.scheduler.stateDict(); }
  loadStateDict(state: unknown): void { this.scheduler.loadStateDict(state as SchedulerState); }
}
