// Learning-rate schedules (torch.optim.lr_scheduler), stepped once per epoch. Each computes
// the rate in closed form from the epoch count, so a restored state gives the same rates.
import { ConfigError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

export interface SchedulerState {
  type: string;
  lastEpoch: number;
  baseLr: number;
  [key: string]: unknown;
}

export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  baseLr: number;
  lastEpoch = 0;

  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.baseLr = optimizer.initialLr;
  }

  /** Subclasses call this at the end of their constructor, once their fields are set. */
  protected start(): void {
    this.optimizer.lr = this.lrAt(0);
  }

  abstract get type(): string;

  /** The learning rate after `epoch` steps. */
  abstract lrAt(epoch: number): number;

  /** Advance one epoch (the metric is used only by ReduceLROnPlateau). */
  step(_metric?: number): void {
    this.lastEpoch++;
    this.optimizer.lr = this.lrAt(this.lastEpoch);
  }

  get lr(): number {
    return this.optimizer.lr;
  }

  stateDict(): SchedulerState {
    return { type: this.type, lastEpoch: this.lastEpoch, baseLr: this.baseLr };
  }

  loadStateDict(s: SchedulerState): void {
    if (s.type !== this.type) throw new ConfigError(`loadStateDict: scheduler state is for ${s.type}, this is ${this.type}`);
    this.lastEpoch = s.lastEpoch;
    this.baseLr = s.baseLr;
    this.optimizer.lr = this.lrAt(this.lastEpoch);
  }
}

/** η = η₀·γ^⌊epoch / stepSize⌋. */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    super(optimizer);
    if (!(Number.isInteger(stepSize) && stepSize > 0)) throw new ConfigError(`StepLR: stepSize must be a positive integer, got ${stepSize}`);
    this.start();
  }
  get type(): string { return 'StepLR'; }
  lrAt(e: number): number { return this.baseLr * this.gamma ** Math.floor(e / this.stepSize); }
}

/** η = η₀·γ^epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly gamma: number) { super(optimizer); this.start(); }
  get type(): string { return 'ExponentialLR'; }
  lrAt(e: number): number { return this.baseLr * this.gamma ** e; }
}

/** η = η_min + (η₀ − η_min)·(1 + cos(π·epoch / T_max)) / 2 (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly tMax: number, readonly etaMin = 0) {
    super(optimizer);
    if (!(tMax > 0)) throw new ConfigError(`CosineAnnealingLR: tMax must be > 0, got ${tMax}`);
    this.start();
  }
  get type(): string { return 'CosineAnnealingLR'; }
  lrAt(e: number): number {
    const min = this.etaMin;
    return min + ((this.baseLr - min) * (1 + Math.cos((Math.PI * e) / this.tMax))) / 2;
  }
}

/** Linear factor from startFactor to endFactor over totalIters epochs (PyTorch's LinearLR): warm-up. */
export class LinearLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly startFactor = 1 / 3, readonly endFactor = 1, readonly totalIters = 5) {
    super(optimizer);
    this.start();
  }
  get type(): string { return 'LinearLR'; }
  lrAt(e: number): number {
    const s = this.startFactor, f = this.endFactor, T = this.totalIters;
    return this.baseLr * (s + ((f - s) * Math.min(e, T)) / T);
  }
}

/** Linear warm-up from ~0 to the optimizer's lr over `epochs` epochs, then constant. */
export function linearWarmup(optimizer: Optimizer, epochs: number): LinearLR {
  return new LinearLR(optimizer, 1 / (epochs + 1), 1, epochs);
}

export interface PlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number;
  eps?: number;
}

/** Multiply lr by `factor` when the monitored metric has not improved for `patience` epochs. */
export class ReduceLROnPlateau extends LRScheduler {
  readonly opts: Required<PlateauOptions>;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(optimizer: Optimizer, opts: PlateauOptions = {}) {
    super(optimizer);
    this.opts = {
      mode: opts.mode ?? 'min', factor: opts.factor ?? 0.1, patience: opts.patience ?? 10,
      threshold: opts.threshold ?? 1e-4, thresholdMode: opts.thresholdMode ?? 'rel',
      cooldown: opts.cooldown ?? 0, minLr: opts.minLr ?? 0, eps: opts.eps ?? 1e-8,
    };
    if (!(this.opts.factor < 1)) throw new ConfigError(`ReduceLROnPlateau: factor must be < 1, got ${this.opts.factor}`);
    this.best = this.opts.mode === 'min' ? Infinity : -Infinity;
  }

  get type(): string { return 'ReduceLROnPlateau'; }

  lrAt(): number { return this.optimizer.lr; }

  private isBetter(a: number): boolean {
    const { mode, threshold: t, thresholdMode } = this.opts;
    if (mode === 'min') return thresholdMode === 'rel' ? a < this.best * (1 - t) : a < this.best - t;
    return thresholdMode === 'rel' ? a > this.best * (1 + t) : a > this.best + t;
  }

  override step(metric?: number): void {
    if (metric === undefined) throw new ConfigError('ReduceLROnPlateau.step needs the monitored metric');
    this.lastEpoch++;
    if (this.isBetter(metric)) { this.best = metric; this.numBadEpochs = 0; } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) { this.cooldownCounter--; this.numBadEpochs = 0; }
    if (this.numBadEpochs > this.opts.patience) {
      const old = this.optimizer.lr, next = Math.max(old * this.opts.factor, this.opts.minLr);
      if (old - next > this.opts.eps) this.optimizer.lr = next;
      this.cooldownCounter = this.opts.cooldown;
      this.numBadEpochs = 0;
    }
  }

  override stateDict(): SchedulerState {
    return { ...super.stateDict(), lr: this.optimizer.lr, best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  override loadStateDict(s: SchedulerState): void {
    if (s.type !== this.type) throw new ConfigError(`loadStateDict: scheduler state is for ${s.type}, this is ${this.type}`);
    this.lastEpoch = s.lastEpoch; this.baseLr = s.baseLr;
    this.best = s.best as number; this.numBadEpochs = s.numBadEpochs as number; this.cooldownCounter = s.cooldownCounter as number;
    this.optimizer.lr = s.lr as number;
  }
}
