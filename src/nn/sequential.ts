// Sequential: layers applied in order; children are named '0', '1', ... as in PyTorch.
import type { Tensor } from '../tensor/tensor.js';
import { Module, type ModuleConfig } from './module.js';

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
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }

  config(): ModuleConfig {
    return { type: 'Sequential', layers: this.layers.map((m) => m.config()) };
  }
}
