// Evaluate the network on a regular grid over the plane, in one forward pass: every input
// feature, every hidden unit and the output, for the neuron heat maps and the decision boundary.
import { Activation, Linear, noGrad, softmax, tensor, type Sequential, type Tensor } from '../src/index.js';
import { featurize, type FeatureName } from './features.js';
import type { PlaygroundData } from './datasets.js';

export interface Probe {
  /** Grid points per side; row 0 is the top of the view (largest x₂). */
  size: number;
  /** Each input feature over the grid, [size², features]. */
  inputs: Tensor;
  /** Each hidden layer's output (after its activation), [size², width]. */
  hidden: Tensor[];
  /**
   * The output over the grid, [size², k]: class probabilities (classification) or the
   * prediction (regression, k = 1).
   */
  output: Tensor;
}

export function gridPoints(bounds: PlaygroundData['bounds'], size: number): Tensor {
  const pts = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    const y = bounds.y1 - ((r + 0.5) / size) * (bounds.y1 - bounds.y0);
    for (let c = 0; c < size; c++) {
      const x = bounds.x0 + ((c + 0.5) / size) * (bounds.x1 - bounds.x0);
      pts[2 * (r * size + c)] = x;
      pts[2 * (r * size + c) + 1] = y;
    }
  }
  return tensor(pts, { shape: [size * size, 2] });
}

export function probe(model: Sequential, data: PlaygroundData, features: readonly FeatureName[], size: number): Probe {
  return noGrad(() => {
    const inputs = featurize(gridPoints(data.bounds, size), features);
    const hidden: Tensor[] = [];
    const layers = [...model];
    let h = inputs;
    layers.forEach((m, i) => {
      h = m.forward(h);
      // A hidden layer's units are the output of its activation, or of its Linear when it has none.
      const next = layers[i + 1];
      const endsLayer = m instanceof Activation || (m instanceof Linear && !(next instanceof Activation));
      if (endsLayer && i < layers.length - 1) hidden.push(h);
    });
    return { size, inputs, hidden, output: data.problem === 'classification' ? softmax(h, 1) : h };
  });
}
