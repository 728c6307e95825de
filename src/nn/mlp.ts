// mlp([in, h1, ..., out]): the notes' multilayer perceptron, Linear layers with a hidden
// activation g0 between them and a separately chosen output activation g1 (default linear).
import { ConfigError } from '../errors.js';
import { rngFrom, type Rng } from '../random.js';
import type { DType } from '../tensor/tensor.js';
import { activation as activationDef } from '../ops/index.js';
import { Activation, resolveActivation } from './activations.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

export interface MlpOptions {
  /** Hidden activation (default 'relu'). */
  activation?: string;
  /** Output activation (default 'identity': logits or raw regression outputs). */
  outputActivation?: string;
  /** Weight initialiser; default as the op registry says per activation (He uniform for the ReLU family, else Xavier uniform). */
  init?: string;
  bias?: boolean;
  /** Dropout probability after each hidden activation (default 0: none). */
  dropout?: number;
  seed?: number;
  rng?: Rng;
  dtype?: DType;
}

export function mlp(sizes: readonly number[], opts: MlpOptions = {}): Sequential {
  if (sizes.length < 2) throw new ConfigError(`mlp: sizes needs at least [inputs, outputs], got [${sizes.join(', ')}]`);
  const act = resolveActivation(opts.activation ?? 'relu');
  const outAct = resolveActivation(opts.outputActivation ?? 'identity');
  const init = opts.init ?? (activationDef(act).activation.init === 'he' ? 'heUniform' : 'xavierUniform');
  const rng = rngFrom(opts);
  const seq = new Sequential();
  for (let i = 0; i + 1 < sizes.length; i++) {
    seq.add(new Linear(sizes[i], sizes[i + 1], { init, bias: opts.bias, rng, dtype: opts.dtype }));
    const last = i + 2 === sizes.length;
    if (!last) {
      seq.add(new Activation(act));
      if (opts.dropout) seq.add(new Dropout(opts.dropout, { seed: (opts.seed ?? 0) + i + 1 }));
    } else if (outAct !== 'identity') {
      seq.add(new Activation(outAct));
    }
  }
  return seq;
}
