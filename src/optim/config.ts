// Each optimizer's options and their defaults, in one place (PyTorch's defaults). The classes,
// createOptimizer, fit and the CLI's flags and --help all read this table, so a default is written
// once; an option an optimizer does not have is a ConfigError that lists the ones it has.
import { ConfigError } from '../errors.js';

export interface SgdOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

export interface RmspropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

export interface OptimizerOptions {
  sgd: SgdOptions;
  adam: AdamOptions;
  adamw: AdamOptions;
  rmsprop: RmspropOptions;
  adagrad: AdagradOptions;
}

export type OptimizerName = keyof OptimizerOptions;

export type OptionValue = number | boolean | readonly [number, number];

/** Every option of every optimizer with its default, as torch.optim documents them. */
export const OPTIMIZER_DEFAULTS: { readonly [N in OptimizerName]: Readonly<Required<OptimizerOptions[N]>> } = {
  sgd: { lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  adam: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
  adamw: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false },
  rmsprop: { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  adagrad: { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
};

export const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_DEFAULTS) as OptimizerName[];

/** The option names of an optimizer, in the table's order. */
export function optionNames(name: OptimizerName): string[] {
  return Object.keys(OPTIMIZER_DEFAULTS[name]);
}

function kind(v: unknown): string {
  return Array.isArray(v) ? 'pair' : typeof v;
}

/**
 * The options with defaults filled in. An unknown option, or a value of the wrong kind (a
 * string for a number, a number for a flag), is a ConfigError naming the valid options.
 * `label` is how the error names the optimizer (the class name).
 */
export function resolveOptions<N extends OptimizerName>(name: N, opts: OptimizerOptions[N] | undefined, label: string): Required<OptimizerOptions[N]> {
  const defaults = OPTIMIZER_DEFAULTS[name] as unknown as Record<string, OptionValue>;
  const given = (opts ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(given)) {
    if (!(k in defaults)) {
      throw new ConfigError(`${label}: unknown option '${k}'; ${label} has ${optionNames(name).join(', ')}`);
    }
    if (v === undefined) continue;
    const want = defaults[k];
    const ok = kind(v) === kind(want) && (!Array.isArray(v) || (v.length === 2 && v.every((x) => typeof x === 'number')));
    if (!ok || (typeof v === 'number' && Number.isNaN(v))) {
      throw new ConfigError(`${label}: option '${k}' must be ${Array.isArray(want) ? 'a pair of numbers' : `a ${typeof want}`} (default ${JSON.stringify(want)}), got ${JSON.stringify(v)}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(defaults)) out[k] = given[k] ?? defaults[k];
  return out as Required<OptimizerOptions[N]>;
}
