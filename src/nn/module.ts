// Module: the unit a model is built from (torch.nn.Module). It owns named parameters and child
// modules, a train/eval mode, and a JSON config from which moduleFromConfig can rebuild it.
// Loss.backward() on a model's output needs autograd bound to Tensor (tensor/ cannot import it).
import '../autograd/backward.js';
import { ConfigError } from '../errors.js';
import { fmt, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { zeroGradients } from '../tensor/tape.js';

/** A module's architecture as plain JSON: `type` names the class moduleFromConfig builds. */
export interface ModuleConfig {
  type: string;
  [key: string]: unknown;
}

export interface LoadStateOptions {
  /** Refuse missing or unexpected keys (default true, as PyTorch). */
  strict?: boolean;
}

// Bumped whenever any module registers a parameter or a child, so that a parameter list cached
// for a model (namedParametersOf) knows it may be out of date.
let structureVersion = 0;
const parameterLists = new WeakMap<Module, { version: number; named: readonly [string, Tensor][] }>();

/**
 * model.namedParameters(), kept until some module registers a parameter or a child: trainStep
 * needs the list every step, and building it (names joined per level) costs a small network's
 * step about a microsecond. Read-only: the list is shared between calls.
 */
export function namedParametersOf(model: Module): readonly [string, Tensor][] {
  const hit = parameterLists.get(model);
  if (hit && hit.version === structureVersion) return hit.named;
  const named = model.namedParameters();
  parameterLists.set(model, { version: structureVersion, named });
  return named;
}

export abstract class Module {
  /** Dropout and similar layers behave differently when training (train()) and evaluating (eval()). */
  training = true;
  private readonly paramMap = new Map<string, Tensor>();
  private readonly moduleMap = new Map<string, Module>();

  abstract forward(x: Tensor): Tensor;

  /** The architecture as JSON, enough for `moduleFromConfig` to rebuild this module (weights aside). */
  abstract config(): ModuleConfig;

  /** Register a trainable tensor under `name` (marks it requiresGrad). */
  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    t.name ??= name;
    this.paramMap.set(name, t);
    structureVersion++;
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.moduleMap.set(name, m);
    structureVersion++;
    return m;
  }

  /** Direct children with their names. */
  namedChildren(): [string, Module][] {
    return [...this.moduleMap];
  }

  /** This module and all descendants, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [n, m] of this.moduleMap) out.push(...m.namedModules(prefix ? `${prefix}.${n}` : n));
    return out;
  }

  /** Parameters with dotted names, e.g. '0.weight' in a Sequential (the state dict keys). */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, p] of this.paramMap) out.push([prefix ? `${prefix}.${n}` : n, p]);
    for (const [n, m] of this.moduleMap) out.push(...m.namedParameters(prefix ? `${prefix}.${n}` : n));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Total number of trainable values. */
  numParameters(): number {
    return this.parameters().reduce((s, p) => s + p.size, 0);
  }

  /** Set training mode on this module and every descendant. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * Drop every parameter's gradient (setToNone, PyTorch's default), or with false zero each
   * gradient buffer in place, for backward() to add into (see Optimizer.zeroGrad).
   */
  zeroGrad(setToNone = true): void {
    zeroGradients(this.parameters(), setToNone);
  }

  /** Parameters by name. The tensors are the live parameters (not copies), as in PyTorch. */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters());
  }

  /** Copy values into the parameters, checking every name, shape and dtype. */
  loadStateDict(state: Record<string, Tensor | { shape: readonly number[]; data: ArrayLike<number> }>, opts: LoadStateOptions = {}): void {
    const strict = opts.strict ?? true;
    const own = new Map(this.namedParameters());
    if (strict) {
      const missing = [...own.keys()].filter((k) => !(k in state));
      const extra = Object.keys(state).filter((k) => !own.has(k));
      if (missing.length || extra.length) {
        throw new ConfigError(`loadStateDict: ${missing.length ? `missing keys ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected keys ${extra.join(', ')}` : ''}`);
      }
    }
    for (const [k, src] of Object.entries(state)) {
      const p = own.get(k);
      if (!p) continue;
      if (!sameShape(p.shape, src.shape)) {
        throw new ConfigError(`loadStateDict: '${k}' has shape ${fmt(src.shape)} but the model expects ${fmt(p.shape)}`);
      }
      p.data.set(src.data);
    }
  }

  /** Non-parameter state to checkpoint (e.g. a dropout layer's RNG); JSON-compatible. */
  getExtraState(): unknown {
    return undefined;
  }

  setExtraState(_state: unknown): void {
    // Stateless by default.
  }

  /** One line per module: name, config type and parameter count. */
  toString(): string {
    return this.namedModules()
      .map(([n, m]) => `${n || '(root)'}: ${m.config().type} (${m.paramMap.size ? [...m.paramMap.values()].map((p) => fmt(p.shape)).join(' ') : 'no parameters'})`)
      .join('\n');
  }
}
