// Optimizer base: holds the parameters and per-parameter state, and updates param.data in place
// (no recording, no allocation per step once the state buffers exist).
import type { FloatArray } from '../backend/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import { allocate, type Tensor } from '../tensor/tensor.js';
import { zeroGradients } from '../tensor/tape.js';

export type StateValue = FloatArray | number;
export type ParamState = Record<string, StateValue>;

/** Everything needed to resume an optimizer exactly (JSON plus typed arrays). */
export interface OptimizerState {
  type: string;
  lr: number;
  options: Record<string, number | boolean>;
  /** One entry per parameter, in the order of `params` (null before its first step). */
  state: (ParamState | null)[];
}

export abstract class Optimizer {
  readonly params: Tensor[];
  /** The learning rate; schedulers change it between steps. */
  lr: number;
  /** The learning rate given at construction (schedulers start from it). */
  readonly initialLr: number;
  protected readonly state: (ParamState | null)[];

  constructor(params: Iterable<Tensor>, lr: number) {
    this.params = [...params];
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new ConfigError(`${this.constructor.name}: lr must be a finite number >= 0, got ${lr}`);
    if (this.params.length === 0) throw new ConfigError(`${this.constructor.name}: no parameters to optimize`);
    this.lr = lr;
    this.initialLr = lr;
    this.state = this.params.map(() => null);
  }

  /** The type name stored in state dicts ('SGD', 'Adam', ...). */
  abstract get type(): string;

  /** Hyper-parameters other than lr, for the state dict and for display. */
  abstract options(): Record<string, number | boolean>;

  /** Update one parameter p (values `w`) from its gradient `g`; `s` is its state. */
  protected abstract update(w: FloatArray, g: FloatArray, s: ParamState, p: Tensor): void;

  /** Fresh state for a parameter before its first step. */
  protected initState(_p: Tensor): ParamState {
    return {};
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i], g = p.grad;
      if (!g) continue;
      if (g.size !== p.size) throw new ShapeError(`${this.type}: gradient of ${g.size} values for a parameter of ${p.size}`);
      const s = this.state[i] ?? (this.state[i] = this.initState(p));
      this.update(p.data, g.data, s, p);
    }
  }

  /**
   * Clear the gradients: setToNone (default, as PyTorch) drops them; false zeroes each parameter's
   * gradient buffer in place and backward() then adds into it (no allocation per step).
   */
  zeroGrad(setToNone = true): void {
    zeroGradients(this.params, setToNone);
  }

  /** A buffer like p's data, zero-filled. */
  protected buffer(p: Tensor, fill = 0): FloatArray {
    const b = allocate(p.dtype, p.size);
    if (fill !== 0) b.fill(fill);
    return b;
  }

  /** A copy of the state (buffers copied, so later steps do not change it). */
  stateDict(): OptimizerState {
    return {
      type: this.type,
      lr: this.lr,
      options: this.options(),
      state: this.state.map((s) => (s ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()])) : null)),
    };
  }

  /** Restore a state dict from the same kind of optimizer over parameters of the same sizes. */
  loadStateDict(sd: OptimizerState): void {
    if (sd.type !== this.type) throw new ConfigError(`loadStateDict: state is for ${sd.type}, this optimizer is ${this.type}`);
    if (!Array.isArray(sd.state) || sd.state.length !== this.params.length) {
      throw new ConfigError(`loadStateDict: state has ${sd.state?.length} parameters, this ${this.type} has ${this.params.length}`);
    }
    sd.state.forEach((s, i) => {
      if (!s) { this.state[i] = null; return; }
      const p = this.params[i];
      const own = this.initState(p);
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') { own[k] = v; continue; }
        if (v.length !== p.size) throw new ConfigError(`loadStateDict: ${this.type} buffer '${k}' of parameter ${i} has ${v.length} values, expected ${p.size}`);
        const b = this.buffer(p);
        b.set(v);
        own[k] = b;
      }
      this.state[i] = own;
    });
    this.lr = sd.lr;
    this.setOptions(sd.options);
  }

  /** Apply stored hyper-parameters: every key of options() names a field of the same name. */
  protected setOptions(o: Record<string, number | boolean>): void {
    const self = this as unknown as Record<string, number | boolean>;
    for (const k of Object.keys(this.options())) if (k in o) self[k] = o[k];
  }
}
