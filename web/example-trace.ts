// The computation for one training example, recorded on nabla's tape and differentiated, as the
// backprop view shows it. Parameters are copied so that this backward pass never touches the
// gradients that training uses.
import { backward } from '../src/autograd/backward.js';
import type { Sequential } from '../src/nn/sequential.js';
import { crossEntropy } from '../src/nn/losses/cross-entropy.js';
import { tensor } from '../src/tensor/creation.js';
import { add } from '../src/tensor/ops/elementwise.js';
import { matmul } from '../src/tensor/ops/matmul.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { buildGraph, retainGrads } from '../src/viz/graph/build.js';
import type { Graph } from '../src/viz/graph/model.js';
import { activationOf, applyActivation, netOfModule } from '../src/viz/net.js';
import type { Split } from './datasets.js';

export interface Trace {
  graph: Graph;
  /**
   * Node ids in the order the backward sweep computes their gradients: the reverse of the tape's
   * topological order, keeping only nodes that receive a gradient (not the input x or label).
   */
  backwardOrder: string[];
  /** For each node id, the ops that consume it (its gradient is the sum of their VJPs). */
  consumers: Map<string, string[]>;
  loss: number;
}

function named(t: Tensor, name: string): Tensor {
  t.name = name;
  return t;
}

/** Copy a parameter into a fresh leaf that wants a gradient. */
function leaf(p: Tensor, name: string): Tensor {
  return named(p.detach().requiresGrad_(), name);
}

export function traceExample(model: Sequential, split: Split, index: number): Trace {
  const x = named(tensor(split.x.data.slice(2 * index, 2 * index + 2), { shape: [1, 2] }), 'x');
  const y = named(tensor([split.y.data[index]]), 'y');
  let h = x;
  netOfModule(model).layers.forEach((l, i) => {
    const layer = i + 1, act = activationOf(l);
    const z = matmul(h, leaf(l.weight, `W${layer}`));
    h = named(l.bias ? add(z, leaf(l.bias, `b${layer}`)) : z, `z${layer}`);
    if (act !== 'linear') h = named(applyActivation(act, h, l.param), `h${layer}`);
  });
  // reduction 'sum' on one row: the loss is exactly −log p[y], with no extra ÷1 node.
  const loss = named(crossEntropy(h, y, { reduction: 'sum' }), 'L');
  retainGrads(loss);
  backward(loss);
  const graph = buildGraph(loss, { digits: 3, maxShown: 4 });
  const consumers = new Map<string, string[]>();
  const label = new Map(graph.nodes.map((n) => [n.id, n.op ?? n.label]));
  for (const e of graph.edges) consumers.set(e.from, [...(consumers.get(e.from) ?? []), label.get(e.to)!]);
  const backwardOrder = graph.nodes.filter((n) => n.grad !== undefined).map((n) => n.id).reverse();
  return { graph, backwardOrder, consumers, loss: loss.item() };
}
