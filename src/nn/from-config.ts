// Rebuild a module from its JSON config (model files store architecture this way). Custom
// modules register a factory under their config `type`.
import { ConfigError } from '../errors.js';
import type { DType } from '../tensor/tensor.js';
import { activationOfModule } from '../ops/index.js';
import { Activation } from './activations.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import type { Module, ModuleConfig } from './module.js';
import { Sequential } from './sequential.js';

/**
 * What a factory may allocate. A model file's architecture is untrusted: before a layer allocates
 * its weights it claims their element count, and the claim fails once the file's own tensor table
 * is exceeded, so a forged header cannot make nabla allocate more than the file holds.
 */
export interface BuildContext {
  claim(elements: number, what: string): void;
}

type Factory = (config: ModuleConfig, ctx: BuildContext) => Module;

const UNLIMITED: BuildContext = { claim() {} };

const factories = new Map<string, Factory>([
  ['Linear', (c, ctx) => {
    const inF = num(c, 'inFeatures'), outF = num(c, 'outFeatures'), bias = c.bias !== false;
    ctx.claim(inF * outF + (bias ? outF : 0), `Linear(${inF}, ${outF})`);
    return new Linear(inF, outF, { bias, init: 'zeros', dtype: (c.dtype as DType | undefined) ?? 'float32' });
  }],
  ['Sequential', (c, ctx) => {
    if (!Array.isArray(c.layers)) throw new ConfigError('Sequential config: layers must be an array');
    return new Sequential((c.layers as ModuleConfig[]).map((l) => moduleFromConfig(l, ctx)));
  }],
  ['Dropout', (c) => new Dropout(c.p as number, { seed: c.seed as number | undefined })],
]);

function num(c: ModuleConfig, key: string): number {
  const v = c[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(`${c.type} config: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** Make `type` loadable from model files. */
export function registerModuleType(type: string, factory: Factory): void {
  factories.set(type, factory);
}

/** A budget of `max` parameter elements for moduleFromConfig. */
export function parameterBudget(max: number): BuildContext {
  let left = max;
  return {
    claim(elements, what) {
      if (!(elements <= left)) throw new ConfigError(`${what} needs ${elements} parameters but the file holds only ${left} more`);
      left -= elements;
    },
  };
}

export function moduleFromConfig(config: ModuleConfig, ctx: BuildContext = UNLIMITED): Module {
  if (!config || typeof config !== 'object' || typeof config.type !== 'string') {
    throw new ConfigError(`module config must be an object with a string 'type', got ${JSON.stringify(config)}`);
  }
  const act = activationOfModule(config.type)?.name;
  if (act) {
    if (config.param !== undefined && typeof config.param !== 'number') throw new ConfigError(`${config.type} config: param must be a number`);
    return new Activation(act, config.param as number | undefined);
  }
  const f = factories.get(config.type);
  if (!f) throw new ConfigError(`unknown module type '${config.type}' (register it with registerModuleType)`);
  return f(config, ctx);
}
