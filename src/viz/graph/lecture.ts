// The computational graph as the notes draw it: x, W⁽ˡ⁾, b⁽ˡ⁾, z⁽ˡ⁾, h⁽ˡ⁾, ŷ, t, L, and with
// λ > 0 D2L's s = λ/2·Σ‖W⁽ˡ⁾‖²_F and J = L + s. One node per lecture quantity: the ops inside a
// layer (matmul, add) and inside the loss (sub, square, sum, mul) are collapsed into the node
// they compute. Each node carries its value, its gradient and the lines `nabla explain` prints
// for it, so a viewer can show the derivation beside the node.
import { noGrad } from '../../tensor/tape.js';
import { tensor } from '../../tensor/creation.js';
import { mul, square, sum } from '../../tensor/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmtNum, summarize } from '../numbers.js';
import type { NetLike } from '../net.js';
import { stepText, type Step } from '../explain/derivation.js';
import { explainTrace, type ExplainLoss } from '../explain/explain.js';
import { explainBatchTrace } from '../explain/matrix.js';
import { sup } from '../explain/symbols.js';
import type { Graph, GraphEdge, GraphNode, NodeKind } from './model.js';

export interface LectureGraphOptions {
  loss?: ExplainLoss;
  /** λ of J = L + λ/2·Σ‖W⁽ˡ⁾‖²_F; with λ > 0 the graph ends in s and J (default 0: ends in L). */
  l2?: number;
  /** Significant digits of the value and gradient summaries (default 3). */
  digits?: number;
}

/** The notes' graph of one example through `net`, with the engine's values and gradients. */
export function lectureGraph(net: NetLike, x: readonly number[], target: number | readonly number[], opts: LectureGraphOptions = {}): Graph {
  const digits = opts.digits ?? 3, l2 = opts.l2 ?? 0, loss = opts.loss ?? 'half-mse';
  const tr = explainTrace(net, [...x], typeof target === 'number' ? target : [...target], { loss });
  const steps = new Map<string, Step>();
  for (const s of tr.derivation.sections) for (const st of s.steps) steps.set(st.lhs.text, st);
  const line = (lhs: string): string[] => (steps.has(lhs) ? [stepText(steps.get(lhs)!, 4)] : []);
  // ∂J/∂W⁽ˡ⁾ = ∂L/∂W⁽ˡ⁾ + λW⁽ˡ⁾ from the engine's own backward of J (matrix form, one row).
  const jGrads = l2 > 0 ? explainBatchTrace(net, [[...x]], [Array.from(tr.target.data)], { loss, l2 }).record.grads.weights : undefined;

  const nodes: GraphNode[] = [], edges: GraphEdge[] = [];
  const show = (t: Tensor | number[], shape: number[]) => summarize(Array.isArray(t) ? t : t.data, shape, digits);
  const add = (id: string, kind: NodeKind, label: string, value: Tensor | undefined, grad: Tensor | undefined | null, derivation: string[]): string => {
    const node: GraphNode = { id, kind, label, name: label, shape: value ? [...value.shape] : [], derivation };
    if (value) node.value = show(value, [...value.shape]);
    if (grad) node.grad = show(grad, [...grad.shape]);
    nodes.push(node);
    return id;
  };
  const edge = (from: string, to: string) => edges.push({ from, to, index: edges.filter((e) => e.to === to).length });

  const n = tr.layers.length;
  let prev = add('x', 'input', 'x', tr.x, null, line('x'));
  tr.layers.forEach((ly, i) => {
    const l = i + 1, last = l === n;
    const W = `W${sup(l)}`, b = `b${sup(l)}`, z = `z${sup(l)}`, h = last ? 'ŷ' : `h${sup(l)}`;
    const wLines = [...line(W), ...line(`∂L/∂${W}`)];
    if (jGrads) wLines.push(`∂J/∂${W} = ∂L/∂${W} + λ${W} = ${summarize(jGrads[i].flat(), [...ly.weight.shape], 4, 64)}`);
    const wGrad = jGrads ? tensor(jGrads[i], { dtype: 'float64' }) : ly.weight.grad;
    const wId = add(`W${l}`, 'parameter', W, ly.weight, wGrad, wLines);
    const zId = add(`z${l}`, 'op', z, ly.z, ly.z.grad, [...line(z), ...line(`∂L/∂${z}`)]);
    edge(prev, zId); edge(wId, zId);
    if (ly.bias) { const bId = add(`b${l}`, 'parameter', b, ly.bias, ly.bias.grad, [...line(b), ...line(`∂L/∂${b}`)]); edge(bId, zId); }
    // With cross-entropy the output is softmax/σ of the last z, drawn as ŷ.
    const out = last ? tr.output : ly.h;
    const hId = add(last ? 'yhat' : `h${l}`, 'op', h, out, last ? tr.layers[n - 1].h.grad : ly.h.grad, [...line(h), ...line(`∂L/∂${h}`)]);
    edge(zId, hId);
    prev = hId;
  });
  const tId = add('t', 'input', 't', tr.target, null, line('t'));
  const lossId = add('L', l2 > 0 ? 'op' : 'loss', 'L', tr.loss, null, line('L'));
  edge(prev, lossId); edge(tId, lossId);
  if (l2 > 0) {
    const norms = noGrad(() => tr.layers.reduce((acc, ly) => acc + sum(square(ly.weight)).item(), 0));
    const s = noGrad(() => mul(tensor(norms, { dtype: 'float64' }), l2 / 2));
    const sId = add('s', 'op', 's', s, null, [`s = λ/2·Σₗ‖W⁽ˡ⁾‖²_F = ${fmtNum(l2, 4)}/2·${fmtNum(norms, 4)} = ${fmtNum(s.item(), 4)}`]);
    tr.layers.forEach((_, i) => edge(`W${i + 1}`, sId));
    const J = tr.loss.item() + s.item();
    const jNode: GraphNode = { id: 'J', kind: 'loss', label: 'J', name: 'J', shape: [], value: fmtNum(J, digits), grad: '1', derivation: [`J = L + s = ${fmtNum(tr.loss.item(), 4)} + ${fmtNum(s.item(), 4)} = ${fmtNum(J, 4)}`] };
    nodes.push(jNode);
    edge(lossId, 'J'); edge(sId, 'J');
  }
  return { nodes, edges, root: l2 > 0 ? 'J' : lossId };
}
