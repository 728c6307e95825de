// Linear layer in the notes' matrix layout: Y = X·W + b with X: [n, in], W: [in, out], b: [out]
// (the bias row broadcasts over the n rows, the notes' B = 1ₙ·bᵀ).
import { ConfigError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import { zeros } from '../tensor/creation.js';
import { add } from '../tensor/ops/elementwise.js';
import { matmul } from '../tensor/ops/matmul.js';
import { linear } from '../tensor/ops/linear.js';
import type { DType, Tensor } from '../tensor/tensor.js';
import { initTensor } from './init.js';
import { Module, type ModuleConfig } from './module.js';

export interface LinearOptions {
  /** Add a bias vector (default true). */
  bias?: boolean;
  /** Weight initialiser (default 'default' = PyTorch's U(±1/√in) for weight and bias). */
  init?: string;
  /** Bias initialiser (default: 'zeros' when `init` is given, else PyTorch's default). */
  biasInit?: string;
  seed?: number;
  rng?: Rng;
  dtype?: DType;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [what, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`Linear: ${what} must be a positive integer, got ${v}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = opts.dtype ?? 'float32';
    const rng = rngFrom(opts);
    const init = opts.init ?? 'default';
    this.weight = this.registerParameter('weight', initTensor(zeros([inFeatures, outFeatures], { dtype }), init, { rng }));
    if (opts.bias ?? true) {
      const biasInit = opts.biasInit ?? (opts.init === undefined ? 'default' : 'zeros');
      this.bias = this.registerParameter('bias', initTensor(zeros([outFeatures], { dtype }), biasInit, { rng, fanIn: inFeatures }));
    } else {
      this.bias = null;
    }
  }

  forward(x: Tensor): Tensor {
    // One fused op for 2-d input (the common case); batched input broadcasts as matmul does.
    if (x.ndim === 2) return linear(x, this.weight, this.bias);
    const z = matmul(x, this.weight);
    return this.bias ? add(z, this.bias) : z;
  }

  config(): ModuleConfig {
    return { type: 'Linear', inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.weight.dtype };
  }
}
