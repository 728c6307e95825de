// The graph model every exporter reads: plain data, no engine objects, so that it can be built
// once (from a Value or a Tensor) and drawn many ways (DOT, Mermaid, SVG, the playground).

/**
 * input: data fed in (no gradient wanted); parameter: a leaf that wants a gradient (weights);
 * constant: an unnamed number folded into an op; op: an intermediate result;
 * loss / output: the root (loss when it holds one value).
 */
export type NodeKind = 'input' | 'parameter' | 'constant' | 'op' | 'loss' | 'output';

export interface GraphNode {
  /** Stable id (n0, n1, ... in topological order, inputs first). */
  id: string;
  kind: NodeKind;
  /** What to print: the op for op nodes ("matmul", "+"), the name for leaves. */
  label: string;
  /** The op that made this node, if any. */
  op?: string;
  /** The user's name for the value (Tensor.name, Value.label), if any. */
  name?: string;
  /** [] for scalars and Values. */
  shape: number[];
  /** Forward value summary (all values when few, else range and mean). */
  value?: string;
  /** Gradient summary, when the engine kept one (leaves, retainGrad() tensors, every Value). */
  grad?: string;
  /** Lecture graphs: the forward and backward lines of `nabla explain` for this node, numbers included. */
  derivation?: string[];
}

export interface GraphEdge {
  /** The input node. */
  from: string;
  /** The op node that consumed it. */
  to: string;
  /** Argument position in the op (x·x has two edges, 0 and 1). */
  index: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Id of the root (the loss or output). */
  root: string;
}

export type RankDir = 'LR' | 'TB' | 'RL' | 'BT';

export interface RenderOptions {
  /** Print forward values in the nodes (default true). */
  showValues?: boolean;
  /** Print gradients in the nodes where known (default true). */
  showGrads?: boolean;
  /** Direction of data flow (default LR: inputs left, loss right). */
  rankdir?: RankDir;
  /** Graph title (DOT label, SVG <title>). */
  title?: string;
}

/** The text lines of a node, shared by all exporters so that they say the same thing. */
export function nodeLines(n: GraphNode, opts: RenderOptions = {}): string[] {
  const lines = [n.op && n.name ? `${n.name} (${n.op})` : n.label];
  if (n.shape.length > 0) lines.push(`[${n.shape.join('×')}]`);
  if ((opts.showValues ?? true) && n.value !== undefined) lines.push(`value ${n.value}`);
  if ((opts.showGrads ?? true) && n.grad !== undefined) lines.push(`grad ${n.grad}`);
  return lines;
}
