// Walk a recorded computation into the graph model. Tensors are followed through
// .node.inputs (the tape), Values through .children; both in post-order so inputs come first
// and ids are stable for a given computation (golden tests rely on it).
import { Value } from '../../scalar/value.js';
import { Tensor } from '../../tensor/tensor.js';
import { summarize } from '../numbers.js';
import type { Graph, GraphEdge, GraphNode, NodeKind } from './model.js';

export interface BuildOptions {
  /** Significant digits of value and gradient summaries (default 3). */
  digits?: number;
  /** Show every value when a tensor has at most this many (default 6). */
  maxShown?: number;
  /** Value leaves to mark as parameters (Values carry no requiresGrad flag). */
  parameters?: Iterable<Value | Tensor>;
}

type Item = Value | Tensor;

const inputsOf = (t: Item): readonly Item[] => (t instanceof Tensor ? (t.node?.inputs ?? []) : t.children);

/** Post-order DFS without recursion (deep scalar graphs would overflow the stack). */
function postOrder(root: Item): Item[] {
  const order: Item[] = [];
  const seen = new Set<Item>([root]);
  const stack: [Item, number][] = [[root, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const ins = inputsOf(top[0]);
    if (top[1] < ins.length) {
      const c = ins[top[1]++];
      if (!seen.has(c)) { seen.add(c); stack.push([c, 0]); }
    } else {
      stack.pop();
      order.push(top[0]);
    }
  }
  return order;
}

function kindOf(t: Item, isRoot: boolean, params: ReadonlySet<Item>): NodeKind {
  if (isRoot) return (t instanceof Tensor ? t.size : 1) === 1 ? 'loss' : 'output';
  if (t instanceof Tensor) {
    if (t.node) return 'op';
    if (t.requiresGrad || params.has(t)) return 'parameter';
    return t.size === 1 && t.name === undefined ? 'constant' : 'input';
  }
  if (t.children.length > 0) return 'op';
  if (params.has(t)) return 'parameter';
  return t.label === undefined ? 'constant' : 'input';
}

/** The graph of everything `root` was computed from. */
export function buildGraph(root: Value | Tensor, opts: BuildOptions = {}): Graph {
  const digits = opts.digits ?? 3, maxShown = opts.maxShown ?? 6;
  const params = new Set<Item>(opts.parameters ?? []);
  const order = postOrder(root);
  const ids = new Map<Item, string>();
  order.forEach((t, i) => ids.set(t, `n${i}`));
  const valueBackwardRan = root instanceof Value && root.grad !== 0;
  const nodes: GraphNode[] = order.map((t) => {
    const kind = kindOf(t, t === root, params);
    const id = ids.get(t)!;
    if (t instanceof Tensor) {
      const op = t.node?.op;
      const name = t.name;
      const node: GraphNode = { id, kind, label: op ?? name ?? (kind === 'constant' ? summarize(t.data, t.shape, digits) : id), shape: [...t.shape] };
      if (op !== undefined) node.op = op;
      if (name !== undefined) node.name = name;
      node.value = summarize(t.data, t.shape, digits, maxShown);
      if (t.grad) node.grad = summarize(t.grad.data, t.grad.shape, digits, maxShown);
      return node;
    }
    const op = t.children.length > 0 ? t.op : undefined;
    const name = t.label;
    const node: GraphNode = { id, kind, label: op ?? name ?? summarize([t.data], [], digits), shape: [] };
    if (op !== undefined) node.op = op;
    if (name !== undefined) node.name = name;
    node.value = summarize([t.data], [], digits);
    // Every Value has a grad field; it only means something once a backward pass has run.
    if (valueBackwardRan || t.grad !== 0) node.grad = summarize([t.grad], [], digits);
    return node;
  });
  const edges: GraphEdge[] = [];
  for (const t of order) {
    inputsOf(t).forEach((c, index) => edges.push({ from: ids.get(c)!, to: ids.get(t)!, index }));
  }
  return { nodes, edges, root: ids.get(root)! };
}

/** Call retainGrad() on every op output under root, so that after backward() the graph shows all gradients. */
export function retainGrads(root: Tensor): Tensor {
  for (const t of postOrder(root)) if (t instanceof Tensor && t.node) t.retainGrad();
  return root;
}
