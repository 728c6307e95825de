// The backprop graph in the lecture notes' words: x, W⁽ˡ⁾, b⁽ˡ⁾, z⁽ˡ⁾, h⁽ˡ⁾, ŷ, t, L (and J when a
// penalty is on), built from nabla's explain trace of one example, so that every number and
// every derivation line is the one `nabla explain` prints for the same network and example.
// The loss's internals (log-softmax, the sum, the ½) stay inside the one node L.
import {
  explainTrace, netOfModule, renderDerivation, type Derivation, type NetLike, type Sequential, type Step, type Tensor,
} from '../src/index.js';
import type { Regularization } from './settings.js';

export type LectureKind = 'input' | 'param' | 'value' | 'loss';

export interface LectureNode {
  id: string;
  /** The symbol as the notes write it: x, W⁽¹⁾, z⁽¹⁾, ŷ, L, … */
  label: string;
  kind: LectureKind;
  /** Column (left to right) and row (0 parameters W, 1 the main chain, 2 biases and the target). */
  col: number;
  row: number;
  value: { data: number[]; shape: number[] };
  /** The derivation's forward line for this node, if it has one. */
  forward: string | null;
  /** The gradient's value and its derivation line (null for x and t, which get no gradient). */
  grad: { data: number[]; shape: number[]; line: string } | null;
}

export interface LectureEdge {
  from: string;
  to: string;
  /** The penalty's dependence of J on W (drawn dashed). */
  penalty?: boolean;
}

export interface LectureGraph {
  nodes: LectureNode[];
  edges: LectureEdge[];
  /** Node ids in the order the backward pass computes their gradients. */
  backwardOrder: string[];
  /** The objective's value (J when penalised, else L). */
  objective: number;
  /** The whole text explain prints for this example (plus the penalty lines, when on). */
  text: string;
}

export interface LectureInput {
  model: Sequential;
  /** The example's network input (its features) and target (class index or value). */
  x: number[];
  target: number | number[];
  loss: 'ce' | 'half-mse';
  regularization: Regularization;
  lambda: number;
}

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (l: number) => `⁽${String(l).replace(/\d/g, (c) => SUP[+c])}⁾`;
const arr = (t: Tensor) => ({ data: Array.from(t.data), shape: [...t.shape] });

/** One step rendered exactly as renderDerivation writes it (the line without its indent). */
function renderStep(step: Step): string {
  const d: Derivation = { title: '', notes: [], sections: [{ title: 's', steps: [step] }] };
  const lines = renderDerivation(d).split('\n');
  return lines[lines.indexOf('s:') + 1].trim();
}

/** Map each step's left-hand side to its rendered line in `text`. */
function linesByLhs(d: Derivation, text: string): Map<string, string> {
  const lines = text.split('\n'), out = new Map<string, string>();
  for (const s of d.sections) {
    const at = lines.indexOf(`${s.title}:`);
    s.steps.forEach((st, j) => { if (at >= 0) out.set(st.lhs.text, lines[at + 1 + j].trim()); });
  }
  return out;
}

export function lectureGraph(inp: LectureInput): LectureGraph {
  const net: NetLike = netOfModule(inp.model);
  const trace = explainTrace(net, inp.x, inp.target, { loss: inp.loss });
  const text = renderDerivation(trace.derivation);
  const line = linesByLhs(trace.derivation, text);
  const n = trace.layers.length;
  const nodes: LectureNode[] = [];
  const edges: LectureEdge[] = [];
  // Lines explain does not print (yet): rendered by the same renderer from the same tensors.
  const own = (lhs: string, value: Tensor, formula?: string, substituted?: string): string =>
    renderStep({ lhs: { text: lhs, tex: '' }, formula: formula ? { text: formula, tex: '' } : undefined,
      substituted: substituted ? { text: substituted, tex: '' } : undefined, value: arr(value), showShape: true });
  const fwd = (lhs: string, value: Tensor) => line.get(lhs) ?? own(lhs, value);
  const bwd = (sym: string, t: Tensor | null): LectureNode['grad'] => {
    const l = line.get(`∂L/∂${sym}`);
    return t?.grad && l ? { ...arr(t.grad), line: l } : null;
  };
  const penalised = inp.regularization !== 'none' && inp.lambda > 0;

  nodes.push({ id: 'x', label: 'x', kind: 'input', col: 0, row: 1, value: arr(trace.x), forward: fwd('x', trace.x), grad: null });
  let prev = 'x';
  trace.layers.forEach((ly, i) => {
    const l = i + 1, c = 2 * l - 1, last = l === n;
    const W = `W${sup(l)}`, b = `b${sup(l)}`, z = `z${sup(l)}`;
    let wGrad = bwd(W, ly.weight);
    if (penalised && wGrad) {
      // ∂J/∂W = ∂L/∂W + λW (L2) or + λ·sign(W) (L1): what the optimizer is given.
      const g = ly.weight.grad!.data, w = ly.weight.data;
      const extra = (v: number) => (inp.regularization === 'l2' ? inp.lambda * v : inp.lambda * Math.sign(v));
      const total = Array.from(g, (v, k) => v + extra(w[k]));
      const term = inp.regularization === 'l2' ? `λ${W}` : `λ·sign(${W})`;
      const lineJ = renderStep({ lhs: { text: `∂J/∂${W}`, tex: '' }, formula: { text: `∂L/∂${W} + ${term}`, tex: '' },
        value: { data: total, shape: [...ly.weight.shape] }, showShape: true });
      wGrad = { data: total, shape: [...ly.weight.shape], line: `${wGrad.line}\n${lineJ}` };
    }
    nodes.push({ id: `W${l}`, label: W, kind: 'param', col: c, row: 0, value: arr(ly.weight), forward: fwd(W, ly.weight), grad: wGrad });
    if (ly.bias) nodes.push({ id: `b${l}`, label: b, kind: 'param', col: c, row: 2, value: arr(ly.bias), forward: fwd(b, ly.bias), grad: bwd(b, ly.bias) });
    nodes.push({ id: `z${l}`, label: z, kind: 'value', col: c, row: 1, value: arr(ly.z), forward: fwd(z, ly.z), grad: bwd(z, ly.z) });
    edges.push({ from: prev, to: `z${l}` }, { from: `W${l}`, to: `z${l}` });
    if (ly.bias) edges.push({ from: `b${l}`, to: `z${l}` });
    if (!last) {
      const h = `h${sup(l)}`;
      nodes.push({ id: `h${l}`, label: h, kind: 'value', col: c + 1, row: 1, value: arr(ly.h), forward: fwd(h, ly.h), grad: bwd(h, ly.h) });
      edges.push({ from: `z${l}`, to: `h${l}` });
      prev = `h${l}`;
    }
  });
  const yCol = 2 * n, lCol = 2 * n + 1;
  const out = trace.output;
  // ŷ's gradient exists for the squared error; with cross-entropy the notes go straight to ∂L/∂z = ŷ − t.
  nodes.push({ id: 'yhat', label: 'ŷ', kind: 'value', col: yCol, row: 1, value: arr(out), forward: fwd('ŷ', out),
    grad: inp.loss === 'half-mse' ? bwd('ŷ', trace.layers[n - 1].h) : null });
  nodes.push({ id: 't', label: 't', kind: 'input', col: lCol, row: 2, value: arr(trace.target), forward: fwd('t', trace.target), grad: null });
  nodes.push({ id: 'L', label: 'L', kind: 'loss', col: lCol, row: 1, value: arr(trace.loss), forward: fwd('L', trace.loss),
    grad: { data: [1], shape: [], line: penalised ? '∂J/∂L = 1' : '∂L/∂L = 1' } });
  edges.push({ from: `z${n}`, to: 'yhat' }, { from: 'yhat', to: 'L' }, { from: 't', to: 'L' });

  let objective = trace.loss.item();
  const extraLines: string[] = [];
  if (penalised) {
    let s = 0;
    for (const ly of trace.layers) for (const v of ly.weight.data) s += inp.regularization === 'l2' ? v * v : Math.abs(v);
    const penalty = inp.regularization === 'l2' ? (inp.lambda / 2) * s : inp.lambda * s;
    objective += penalty;
    const formula = inp.regularization === 'l2' ? 'L + λ/2·Σₗ‖W⁽ˡ⁾‖²_F' : 'L + λ·Σₗ‖W⁽ˡ⁾‖₁';
    const jLine = renderStep({
      lhs: { text: 'J', tex: '' }, formula: { text: formula, tex: '' },
      substituted: { text: `${fmt(trace.loss.item())} + ${fmt(penalty)}  (λ = ${inp.lambda})`, tex: '' },
      value: { data: [objective], shape: [] },
    });
    extraLines.push(jLine);
    nodes.push({ id: 'J', label: 'J', kind: 'loss', col: lCol + 1, row: 1, value: { data: [objective], shape: [] }, forward: jLine,
      grad: { data: [1], shape: [], line: '∂J/∂J = 1' } });
    edges.push({ from: 'L', to: 'J' });
    for (let l = 1; l <= n; l++) edges.push({ from: `W${l}`, to: 'J', penalty: true });
  }

  const backwardOrder: string[] = [];
  if (penalised) backwardOrder.push('J');
  backwardOrder.push('L');
  if (inp.loss === 'half-mse') backwardOrder.push('yhat');
  for (let l = n; l >= 1; l--) {
    backwardOrder.push(`z${l}`, `W${l}`);
    if (trace.layers[l - 1].bias) backwardOrder.push(`b${l}`);
    if (l > 1) backwardOrder.push(`h${l - 1}`);
  }
  return { nodes, edges, backwardOrder, objective, text: extraLines.length ? `${text}\n${extraLines.join('\n')}\n` : text };
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}
