// Evaluate the network on a regular grid over the view: class probabilities for the decision
// boundary and every hidden unit's output for the unit maps, in one forward pass.
import { noGrad } from '../src/autograd/graph.js';
import { Activation } from '../src/nn/activations.js';
import type { Sequential } from '../src/nn/sequential.js';
import { tensor } from '../src/tensor/creation.js';
import { softmax } from '../src/tensor/ops/softmax.js';
import type { Tensor } from '../src/tensor/tensor.js';
import type { PlaygroundData } from './datasets.js';

export interface Probe {
  /** Grid points per side; row 0 is the top of the view (largest y). */
  size: number;
  /** Class probabilities, [size², classes] row-major. */
  probs: Tensor;
  /** Output of each hidden activation layer, [size², width]. */
  hidden: Tensor[];
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

export function probe(model: Sequential, bounds: PlaygroundData['bounds'], size: number): Probe {
  return noGrad(() => {
    const hidden: Tensor[] = [];
    let h = gridPoints(bounds, size);
    const layers = [...model];
    layers.forEach((m, i) => {
      h = m.forward(h);
      // The hidden units are the activations between Linear layers (not the output logits).
      if (m instanceof Activation && i < layers.length - 1) hidden.push(h);
    });
    return { size, probs: softmax(h, 1), hidden };
  });
}
