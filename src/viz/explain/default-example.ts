// The notes' 2-layer network (ReLU hidden layer, linear output, squared error) on one example,
// with fixed small weights chosen so that one hidden unit is switched off (z < 0) and the ReLU
// gate shows in the backward pass. `nabla explain` with no arguments prints this.
import { tensor } from '../../tensor/index.js';
import type { NetLike } from '../net.js';
import { explain, type ExplainOptions } from './explain.js';

export interface ExampleProblem {
  net: NetLike;
  x: number[];
  target: number[];
}

/** D = 2 inputs, M = 3 hidden ReLU units, K = 1 linear output; float64 so the numbers are exact. */
export function defaultExample(): ExampleProblem {
  const f64 = { dtype: 'float64' as const };
  return {
    net: {
      layers: [
        { weight: tensor([[0.5, -0.3, 0.8], [0.2, 0.4, -0.6]], f64), bias: tensor([0.1, 0, -0.1], f64), activation: 'relu' },
        { weight: tensor([[0.7], [-0.5], [0.3]], f64), bias: tensor([0.2], f64), activation: 'linear' },
      ],
    },
    x: [1, 2],
    target: [1],
  };
}

export function explainDefault(opts: Omit<ExplainOptions, 'loss'> = {}): string {
  const { net, x, target } = defaultExample();
  return explain(net, x, target, { title: "The notes' 2-layer network on one example (2-3-1, ReLU then linear, L = ½‖ŷ − t‖²)", ...opts, loss: 'half-mse' });
}
