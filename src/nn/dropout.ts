// Inverted dropout: while training, zero each value with probability p and scale the rest by
// 1/(1−p), so that evaluation (eval mode) needs no rescaling. Seeded; its RNG state is checkpointed.
import { ConfigError } from '../errors.js';
import { Rng } from '../random.js';
import { mul } from '../tensor/ops/elementwise.js';
import { allocate, Tensor } from '../tensor/tensor.js';
import { Module, type ModuleConfig } from './module.js';

export interface DropoutOptions {
  seed?: number;
}

export class Dropout extends Module {
  readonly p: number;
  private readonly seed: number;
  private readonly rng: Rng;

  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new ConfigError(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.seed = opts.seed ?? 0;
    this.rng = new Rng(this.seed);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = allocate(x.dtype, x.size);
    const keep = 1 / (1 - this.p);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.random() < this.p ? 0 : keep;
    return mul(x, new Tensor(mask, x.shape));
  }

  config(): ModuleConfig {
    return { type: 'Dropout', p: this.p, seed: this.seed };
  }

  override getExtraState(): unknown {
    return { rng: this.rng.getState() };
  }

  override setExtraState(state: unknown): void {
    const s = state as { rng?: number[] } | undefined;
    if (s?.rng) this.rng.setState(s.rng);
  }
}
