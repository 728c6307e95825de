// Optimizers by name, for fit({ optimizer: 'adam', lr: 1e-3 }) and the CLI.
import { ConfigError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { OptimizerName } from './config.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export type { OptimizerName } from './config.js';

// Options are passed through; each constructor checks them against its row of OPTIMIZER_DEFAULTS.
const MAKERS: Record<OptimizerName, (p: Tensor[], o: Record<string, unknown>) => Optimizer> = {
  sgd: (p, o) => new SGD(p, o),
  adam: (p, o) => new Adam(p, o),
  adamw: (p, o) => new AdamW(p, o),
  rmsprop: (p, o) => new RMSprop(p, o),
  adagrad: (p, o) => new Adagrad(p, o),
};

export function createOptimizer(name: string, params: Iterable<Tensor>, opts: Record<string, unknown> = {}): Optimizer {
  const make = MAKERS[name.toLowerCase() as OptimizerName];
  if (!make) throw new ConfigError(`unknown optimizer '${name}': use one of ${Object.keys(MAKERS).join(', ')}`);
  return make([...params], opts);
}
