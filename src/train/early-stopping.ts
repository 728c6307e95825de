// Early stopping (Keras semantics), a callback: stop when `monitor` has not improved by more than
// minDelta for `patience` epochs; optionally put back the best epoch's weights at the end.
import { ConfigError } from '../errors.js';
import type { FloatArray } from '../backend/backend.js';
import type { Module } from '../nn/module.js';
import type { Callback, FitContext } from './callbacks.js';
import { lowerIsBetter } from './metrics.js';

export interface EarlyStoppingOptions {
  /** The logged quantity to watch (default 'val_loss' with validation data, else 'loss'). */
  monitor?: string;
  patience?: number;
  minDelta?: number;
  mode?: 'min' | 'max' | 'auto';
  restoreBestWeights?: boolean;
}

export class EarlyStopping implements Callback {
  readonly stateKey = 'early';
  readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly lower: boolean;
  private readonly restoreBest: boolean;
  best: number;
  bestEpoch = -1;
  wait = 0;
  bestWeights: Record<string, FloatArray> | null = null;

  /** defaultMonitor is used when opts.monitor is absent (fit passes 'loss' without validation data). */
  constructor(opts: EarlyStoppingOptions = {}, defaultMonitor = 'val_loss') {
    this.monitor = opts.monitor ?? defaultMonitor;
    this.patience = opts.patience ?? 0;
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    const mode = opts.mode ?? 'auto';
    this.lower = mode === 'auto' ? lowerIsBetter(this.monitor) : mode === 'min';
    this.restoreBest = opts.restoreBestWeights ?? false;
    this.best = this.lower ? Infinity : -Infinity;
  }

  /** Record this epoch; true when training should stop. */
  update(logs: Record<string, number>, model: Module, epoch: number): boolean {
    const v = logs[this.monitor];
    if (v === undefined) throw new ConfigError(`earlyStopping: '${this.monitor}' is not logged (logged: ${Object.keys(logs).join(', ')})`);
    const improved = this.lower ? v < this.best - this.minDelta : v > this.best + this.minDelta;
    if (improved) {
      this.best = v; this.bestEpoch = epoch; this.wait = 0;
      if (this.restoreBest) this.bestWeights = Object.fromEntries(model.namedParameters().map(([n, p]) => [n, p.data.slice()]));
      return false;
    }
    this.wait++;
    return this.wait >= this.patience;
  }

  onEpochEnd(epoch: number, logs: Record<string, number>, ctx: FitContext): void {
    if (this.update(logs, ctx.model, epoch)) ctx.stopTraining = true;
  }

  onTrainEnd(_history: unknown, ctx: FitContext): void {
    this.restore(ctx.model);
  }

  stateDict(): unknown { return this.state(); }
  loadStateDict(s: unknown): void { this.load(s); }

  restore(model: Module): void {
    if (!this.restoreBest || !this.bestWeights) return;
    for (const [n, p] of model.namedParameters()) { const w = this.bestWeights[n]; if (w) p.data.set(w); }
  }

  state(): unknown {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait, bestWeights: this.bestWeights ?? undefined };
  }

  load(s: unknown): void {
    const o = s as { best: number; bestEpoch: number; wait: number; bestWeights?: Record<string, FloatArray> };
    this.best = o.best; this.bestEpoch = o.bestEpoch; this.wait = o.wait; this.bestWeights = o.bestWeights ?? null;
  }
}
