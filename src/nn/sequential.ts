// Sequential: layers applied in order; children are named '0', '1', ... as in PyTorch.
// A Linear followed by an elementwise activation runs as one op (linearActivation: the bias and
// the activation in the GEMM's epilogue), recording the same graph as the two layers one by one.
// The activation's output is then used by the next layer only, which Sequential tells that layer
// (by handing it the activation's Handoff), so that backward can fold the activation's derivative
// into that layer's ∂X.
import { linearActivationFrom, linearFrom, type Handoff } from '../tensor/ops/linear.js';
import type { Tensor } from '../tensor/tensor.js';
import { Activation } from './activations.js';
import { Linear } from './linear.js';
import { Module, type ModuleConfig } from './module.js';

/** Whether layers a, b are a Linear and an Activation whose forward passes are the library's own. */
function linearThenActivation(a: Module, b: Module | undefined): b is Activation {
  return a instanceof Linear && a.forward === Linear.prototype.forward && b instanceof Activation && b.forward === Activation.prototype.forward;
}

export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...layers: Module[] | [Module[]]) {
    super();
    const list = layers.length === 1 && Array.isArray(layers[0]) ? layers[0] : (layers as Module[]);
    for (const m of list) this.add(m);
  }

  /** Append a layer (Keras's model.add). */
  add(m: Module): this {
    this.registerModule(String(this.layers.length), m);
    this.layers.push(m);
    return this;
  }

  get length(): number {
    return this.layers.length;
  }

  at(i: number): Module {
    return this.layers[i < 0 ? this.layers.length + i : i];
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    const layers = this.layers;
    let y = x;
    // The handoff of the fused activation that made y here (y is then ours to give to one consumer).
    let from: Handoff | null = null;
    for (let i = 0; i < layers.length; i++) {
      const m = layers[i], next = layers[i + 1];
      if (y.ndim === 2 && linearThenActivation(m, next)) {
        const lin = m as Linear;
        ({ out: y, handoff: from } = linearActivationFrom(y, lin.weight, lin.bias, next.kind, next.param, from));
        i++;
      } else if (from && m instanceof Linear && m.forward === Linear.prototype.forward) {
        y = linearFrom(y, m.weight, m.bias, from);
        from = null;
      } else {
        y = m.forward(y);
        from = null;
      }
    }
    return y;
  }

  config(): ModuleConfig {
    return { type: 'Sequential', layers: this.layers.map((m) => m.config()) };
  }
}
