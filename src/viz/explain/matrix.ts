// explainBatch(): the notes' full matrix form of backprop on a minibatch of n examples,
//   Z⁽ˡ⁾ = H⁽ˡ⁻¹⁾W⁽ˡ⁾ + 1b⁽ˡ⁾ᵀ, H⁽ˡ⁾ = g(Z⁽ˡ⁾), L = 1/(2n)‖Ŷ − T‖², ∂L/∂Z⁽ˡ⁾ = ∂L/∂H⁽ˡ⁾ ⊙ g′(Z⁽ˡ⁾),
//   ∂L/∂W⁽ˡ⁾ = H⁽ˡ⁻¹⁾ᵀ·∂L/∂Z⁽ˡ⁾, ∂L/∂b⁽ˡ⁾ = 1ᵀ·∂L/∂Z⁽ˡ⁾, ∂L/∂H⁽ˡ⁻¹⁾ = ∂L/∂Z⁽ˡ⁾·W⁽ˡ⁾ᵀ,
// with D2L's objective J = L + λ/2·Σ‖W⁽ˡ⁾‖²_F (biases not penalised) and ∂J/∂W⁽ˡ⁾ = … + λW⁽ˡ⁾.
// Every number is the engine's (float64 forward, one backward(), gradients read from .grad);
// the "column" convention (D2L, CSC413: examples are columns, W is [out, in]) shows the same
// numbers transposed. record holds them all as plain arrays so that anyone can recompute them.
import { ConfigError } from '../../errors.js';
import { noGrad } from '../../tensor/tape.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, logSoftmax, matmul, mul, neg, sigmoid, softmax, square, sub, sum, tensor } from '../../tensor/index.js';
import { binaryCrossEntropyWithLogits } from '../../nn/losses/binary-cross-entropy.js';
import { activationDerivative, activationOf, applyActivation, layerSizes, type Activation, type NetLike } from '../net.js';
import { fmtArray, fmtNum, texArray } from '../numbers.js';
import { expr, renderDerivation, val, type Derivation, type ExplainFormat, type Expr, type Step } from './derivation.js';
import { actName, sup } from './symbols.js';

/** row: the Freiburg notes and PyTorch (X is n×d, W⁽ˡ⁾ is [in, out]); column: D2L and CSC413 (W⁽ˡ⁾ is [out, in]). */
export type Convention = 'row' | 'column';
export type BatchLoss = 'half-mse' | 'ce';

export interface BatchExplainOptions {
  loss?: BatchLoss;
  /** λ of the penalty λ/2·Σ‖W⁽ˡ⁾‖²_F (default 0: J = L). */
  l2?: number;
  convention?: Convention;
  format?: ExplainFormat;
  digits?: number;
  /** Matrices with more entries than this are printed as a summary (default 64). */
  maxValues?: number;
  title?: string;
}

/** Everything the derivation shows, as plain float64 arrays; weights always [in, out]. */
export interface BatchRecord {
  convention: Convention;
  n: number;
  sizes: number[];
  X: number[][];
  T: number[][];
  weights: number[][][];
  biases: number[][];
  /** The hidden layers' activation (the --activation flag), or 'mixed'. */
  activation: string;
  /** Each layer's activation, input to output. */
  activations: Activation[];
  loss: BatchLoss;
  l2: number;
  L: number;
  J: number;
  Yhat: number[][];
  grads: { weights: number[][][]; biases: number[][] };
}

export interface BatchTrace {
  derivation: Derivation;
  record: BatchRecord;
}

const f64 = { dtype: 'float64' as const };
const rows = (t: Tensor): number[][] => {
  const [r, c] = t.shape.length === 2 ? t.shape : [1, t.size];
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
};

function matrix(v: Tensor | readonly (readonly number[])[], what: string): Tensor {
  const t = v instanceof Tensor ? tensor(Array.from(v.data), f64).reshape(...(v.ndim === 1 ? [1, v.size] : v.shape)) : tensor(v.map((r) => [...r]), f64);
  if (t.ndim !== 2 || t.size === 0) throw new ConfigError(`explainBatch: ${what} must be a non-empty n×k matrix, got shape [${t.shape.join(', ')}]`);
  return t;
}

/** Run the batch through the engine and build the derivation and the record (no rendering). */
export function explainBatchTrace(net: NetLike, X: Tensor | readonly (readonly number[])[], T: Tensor | readonly (readonly number[])[], opts: BatchExplainOptions = {}): BatchTrace {
  const sizes = layerSizes(net);
  const loss = opts.loss ?? 'half-mse';
  const l2 = opts.l2 ?? 0;
  const convention = opts.convention ?? 'row';
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new ConfigError(`explainBatch: l2 must be a finite number >= 0, got ${l2}`);
  if (convention !== 'row' && convention !== 'column') throw new ConfigError(`explainBatch: convention must be 'row' or 'column', got ${String(convention)}`);
  const x = matrix(X, 'X'), t = matrix(T, 'T');
  const nl = net.layers.length, n = x.shape[0];
  if (x.shape[1] !== sizes[0]) throw new ConfigError(`explainBatch: X has ${x.shape[1]} columns but the network takes ${sizes[0]} inputs`);
  if (t.shape[0] !== n || t.shape[1] !== sizes[nl]) throw new ConfigError(`explainBatch: T must be ${n}×${sizes[nl]} (one row per example, one column per output), got ${t.shape.join('×')}`);
  const acts = net.layers.map((ly) => activationOf(ly));
  const lastAct = acts[nl - 1];
  if (acts.slice(0, -1).includes('softmax')) throw new ConfigError('explainBatch: softmax is only supported on the output layer');
  if (loss === 'ce' && !['linear', 'softmax', 'sigmoid'].includes(lastAct)) throw new ConfigError(`explainBatch: the ce loss needs a linear, softmax or sigmoid output layer, not ${lastAct}`);
  if (loss === 'ce' && lastAct === 'sigmoid' && sizes[nl] !== 1) throw new ConfigError('explainBatch: a sigmoid output with ce needs one output unit');
  if (loss === 'half-mse' && lastAct === 'softmax') throw new ConfigError("explainBatch: softmax outputs are explained with loss 'ce'");
  // One output unit with ce is the binary case: σ(z) and the two-class log loss.
  const binary = loss === 'ce' && sizes[nl] === 1;

  const W: Tensor[] = [], b: (Tensor | null)[] = [], Z: Tensor[] = [], H: Tensor[] = [x];
  net.layers.forEach((ly, i) => {
    const w = tensor(Array.from(ly.weight.data), f64).reshape(...ly.weight.shape).requiresGrad_();
    const bias = ly.bias ? tensor(Array.from(ly.bias.data), f64).requiresGrad_() : null;
    const a = matmul(H[i], w);
    const z = (bias ? add(a, bias) : a).retainGrad();
    const head = loss === 'ce' && i === nl - 1;
    W.push(w); b.push(bias); Z.push(z);
    H.push(head ? z : applyActivation(acts[i], z, ly.param).retainGrad());
  });
  const zL = Z[nl - 1];
  let L: Tensor, Yhat: Tensor;
  if (loss === 'half-mse') {
    Yhat = H[nl];
    L = mul(sum(square(sub(Yhat, t))), 1 / (2 * n));
  } else if (binary) {
    // −(1/n)Σ[t log σ(z) + (1 − t) log(1 − σ(z))] in its stable form (softplus(z) − t·z).
    L = mul(binaryCrossEntropyWithLogits(zL, t, { reduction: 'sum' }), 1 / n);
    Yhat = noGrad(() => sigmoid(zL));
  } else {
    L = mul(neg(sum(mul(t, logSoftmax(zL)))), 1 / n);
    Yhat = noGrad(() => softmax(zL));
  }
  let J = L;
  let s: Tensor | undefined;
  if (l2 > 0) {
    s = mul(W.map((w) => sum(square(w))).reduce((p, q) => add(p, q)), l2 / 2);
    J = add(L, s);
  }
  J.backward();
  const grad = (v: Tensor, what: string): Tensor => {
    if (!v.grad) throw new Error(`explainBatch: the engine kept no gradient for ${what}`); // a core bug if it happens
    return v.grad;
  };

  const hidden = [...new Set(acts.slice(0, -1))];
  const record: BatchRecord = {
    convention, n, sizes,
    X: rows(x), T: rows(t),
    weights: W.map(rows), biases: b.map((bb, i) => (bb ? Array.from(bb.data) : new Array<number>(sizes[i + 1]).fill(0))),
    activation: hidden.length === 0 ? 'none' : hidden.length === 1 ? hidden[0] : 'mixed',
    activations: acts,
    loss, l2, L: L.item(), J: J.item(), Yhat: rows(Yhat),
    grads: {
      weights: W.map((w, i) => rows(grad(w, `W${sup(i + 1)}`))),
      biases: b.map((bb, i) => (bb ? Array.from(grad(bb, `b${sup(i + 1)}`).data) : new Array<number>(sizes[i + 1]).fill(0))),
    },
  };

  const derivation = buildDerivation({ net, x, t, W, b, Z, H, Yhat, L, J, s, acts, loss, binary, l2, convention, digits: opts.digits ?? 4, title: opts.title });
  return { derivation, record };
}

interface Parts {
  net: NetLike; x: Tensor; t: Tensor; W: Tensor[]; b: (Tensor | null)[]; Z: Tensor[]; H: Tensor[]; Yhat: Tensor;
  L: Tensor; J: Tensor; s?: Tensor; acts: Activation[]; loss: BatchLoss; binary: boolean; l2: number;
  convention: Convention; digits: number; title?: string;
}

const transpose = (m: Tensor): Tensor => (m.ndim === 2 ? noGrad(() => m.transpose()) : m);

function buildDerivation(p: Parts): Derivation {
  const { W, b, Z, H, acts, loss, l2, digits } = p;
  const col = p.convention === 'column';
  const nl = W.length, n = p.x.shape[0];
  const S = (letter: string, l: number): Expr => expr(`${letter}${sup(l)}`, `\\mathbf{${letter}}^{(${l})}`);
  const Xs = expr('X', '\\mathbf{X}'), Ts = expr('T', '\\mathbf{T}'), Yh = expr('Ŷ', '\\hat{\\mathbf{Y}}');
  const Hs = (l: number): Expr => (l === 0 ? Xs : l === nl ? Yh : S('H', l));
  const dL = (e: Expr, f = 'L'): Expr => expr(`∂${f}/∂${e.text}`, `\\frac{\\partial ${f}}{\\partial ${e.tex}}`);
  // The column convention shows every matrix transposed: examples are columns, W is [out, in].
  const shown = (v: Tensor): Tensor => (col ? transpose(v) : v);
  const st = (lhs: Expr, v: Tensor, formula?: Expr, substituted?: Expr): Step => ({ lhs, formula, substituted, value: val(shown(v)), showShape: true });
  const tT = (e: Expr): Expr => expr(`${e.text}ᵀ`, `${e.tex}^{\\top}`);

  const params: Step[] = [];
  const fwd: Step[] = [st(Xs, p.x), st(Ts, p.t)];
  W.forEach((w, i) => {
    const l = i + 1;
    params.push(st(S('W', l), w));
    if (b[i]) params.push({ lhs: S('b', l), value: val(b[i]!), showShape: true });
    const hin = Hs(l - 1);
    const lin = col
      ? expr(`${S('W', l).text}${hin.text}`, `${S('W', l).tex} ${hin.tex}`)
      : expr(`${hin.text}${S('W', l).text}`, `${hin.tex} ${S('W', l).tex}`);
    const bias = col ? expr(`${S('b', l).text}1ᵀ`, `${S('b', l).tex} \\mathbf{1}^{\\top}`) : expr(`1${S('b', l).text}ᵀ`, `\\mathbf{1} ${S('b', l).tex}^{\\top}`);
    fwd.push(st(S('Z', l), Z[i], b[i] ? expr(`${lin.text} + ${bias.text}`, `${lin.tex} + ${bias.tex}`) : lin));
    const last = l === nl;
    if (!last || loss === 'half-mse') {
      const a = acts[i];
      const g = a === 'linear' ? S('Z', l) : expr(`${actName(a).text}(${S('Z', l).text})`, `${actName(a).tex}(${S('Z', l).tex})`);
      fwd.push(st(Hs(l), H[l], g));
    }
  });
  const head = p.binary ? 'σ' : 'softmax';
  if (loss === 'ce') fwd.push(st(Yh, p.Yhat, expr(`${head}(${S('Z', nl).text})`, `\\${p.binary ? 'sigma' : 'mathrm{softmax}'}(${S('Z', nl).tex})`)));
  const lossRule = loss === 'half-mse'
    ? expr(`1/(2n)‖Ŷ − T‖²`, `\\frac{1}{2n}\\lVert \\hat{\\mathbf{Y}} - \\mathbf{T} \\rVert^2`)
    : p.binary
      ? expr('−(1/n)Σᵢ[tᵢ log ŷᵢ + (1 − tᵢ) log(1 − ŷᵢ)]', '-\\frac{1}{n}\\sum_i \\left[t_i \\log \\hat{y}_i + (1 - t_i)\\log(1 - \\hat{y}_i)\\right]')
      : expr('−(1/n)Σᵢₖ Tᵢₖ log Ŷᵢₖ', '-\\frac{1}{n}\\sum_{i,k} T_{ik} \\log \\hat{Y}_{ik}');
  const f = (v: number) => fmtNum(v, digits);
  const sq = noGrad(() => sum(square(sub(p.Yhat, p.t))).item());
  fwd.push(st(expr('L', 'L'), p.L, lossRule, loss === 'half-mse' ? expr(`${f(sq)}/(2·${n})`, `\\frac{${f(sq)}}{2 \\cdot ${n}}`) : undefined));
  const penalty = expr('λ/2·Σₗ‖W⁽ˡ⁾‖²_F', '\\frac{\\lambda}{2}\\sum_l \\lVert \\mathbf{W}^{(l)} \\rVert_F^2');
  const norms = noGrad(() => W.reduce((acc, w) => acc + sum(square(w)).item(), 0));
  fwd.push(st(expr('J', 'J'), p.J, expr(`L + ${penalty.text}`, `L + ${penalty.tex}`),
    expr(`${f(p.L.item())} + ${f(l2)}/2·${f(norms)}`, `${f(p.L.item())} + \\frac{${f(l2)}}{2} \\cdot ${f(norms)}`)));

  const bwd: Step[] = [];
  const g = (v: Tensor): Tensor => v.grad!;
  for (let l = nl; l >= 1; l--) {
    const i = l - 1, zl = S('Z', l), hin = Hs(l - 1);
    if (l === nl && loss === 'ce') {
      bwd.push(st(dL(zl), g(Z[i]), expr('(Ŷ − T)/n', '\\frac{1}{n}(\\hat{\\mathbf{Y}} - \\mathbf{T})')));
    } else {
      if (l === nl) bwd.push(st(dL(Yh), g(H[nl]), expr('(Ŷ − T)/n', '\\frac{1}{n}(\\hat{\\mathbf{Y}} - \\mathbf{T})')));
      const gp = noGrad(() => activationDerivative(acts[i], Z[i], H[l], p.net.layers[i].param));
      const prime = expr(`${actName(acts[i]).text}′(${zl.text})`, `${actName(acts[i]).tex}'(${zl.tex})`);
      const dh = g(H[l]);
      bwd.push(st(dL(zl), g(Z[i]), expr(`${dL(Hs(l)).text} ⊙ ${prime.text}`, `${dL(Hs(l)).tex} \\odot ${prime.tex}`),
        shown(gp).size <= 64 ? expr(`${fmtArray(shown(dh).data, shown(dh).shape, digits)} ⊙ ${fmtArray(shown(gp).data, shown(gp).shape, digits)}`,
          `${texArray(shown(dh).data, shown(dh).shape, digits)} \\odot ${texArray(shown(gp).data, shown(gp).shape, digits)}`) : undefined));
    }
    const reg = l2 > 0 ? expr(` + λ${S('W', l).text}`, ` + \\lambda ${S('W', l).tex}`) : expr('', '');
    const dW = col
      ? expr(`${dL(zl).text}·${tT(hin).text}${reg.text}`, `${dL(zl).tex} ${tT(hin).tex}${reg.tex}`)
      : expr(`${tT(hin).text}·${dL(zl).text}${reg.text}`, `${tT(hin).tex} ${dL(zl).tex}${reg.tex}`);
    bwd.push(st(dL(S('W', l), 'J'), g(W[i]), dW));
    if (b[i]) {
      const db = col ? expr(`${dL(zl).text}·1`, `${dL(zl).tex} \\mathbf{1}`) : expr(`1ᵀ·${dL(zl).text}`, `\\mathbf{1}^{\\top} ${dL(zl).tex}`);
      bwd.push({ lhs: dL(S('b', l), 'J'), formula: db, value: val(g(b[i]!)), showShape: true });
    }
    if (l > 1) {
      const dH = col
        ? expr(`${tT(S('W', l)).text}·${dL(zl).text}`, `${tT(S('W', l)).tex} ${dL(zl).tex}`)
        : expr(`${dL(zl).text}·${tT(S('W', l)).text}`, `${dL(zl).tex} ${tT(S('W', l)).tex}`);
      bwd.push(st(dL(Hs(l - 1)), g(H[l - 1]), dH));
    }
  }
  const sizes = [p.x.shape[1], ...W.map((w) => w.shape[1])];
  const act = acts.map((a) => actName(a).text).join(', ');
  const notes = col
    ? [
      `Convention: column vectors (D2L, CSC413). Examples are the columns of X (d×n), W⁽ˡ⁾ is [out, in], Z⁽ˡ⁾ = W⁽ˡ⁾H⁽ˡ⁻¹⁾ + b⁽ˡ⁾1ᵀ; ` +
        `the same numbers as the row convention, transposed (nabla stores W as [in, out]).`,
    ]
    : [
      'Convention: rows are examples (the Freiburg notes, PyTorch). X is n×d, W⁽ˡ⁾ is [in, out] as nabla stores it, Z⁽ˡ⁾ = H⁽ˡ⁻¹⁾W⁽ˡ⁾ + 1b⁽ˡ⁾ᵀ; ' +
        '--convention column shows D2L\'s and CSC413\'s form.',
    ];
  notes.push(`Objective J = L + λ/2·Σₗ‖W⁽ˡ⁾‖²_F with λ = ${fmtNum(l2, digits)} (biases are not penalised, so ∂J/∂b⁽ˡ⁾ = ∂L/∂b⁽ˡ⁾ and ∂J/∂Z⁽ˡ⁾ = ∂L/∂Z⁽ˡ⁾).`);
  notes.push('Every number is nabla\'s own, in float64: one forward pass, one backward() of J, gradients read from .grad.');
  return {
    title: p.title ?? `Backprop in matrix form on a minibatch of n = ${n}: ${sizes.join('-')} network (${act})`,
    notes,
    sections: [{ title: 'Parameters', steps: params }, { title: 'Forward pass', steps: fwd }, { title: 'Backward pass', steps: bwd }],
  };
}

/**
 * The record as JSON-ready data: in full when it holds at most maxNumbers numbers (default
 * 50,000, about a megabyte), else each array replaced by its shape, range and mean with
 * summarized: true, so that a big model never prints megabytes.
 */
export function batchRecordForJson(r: BatchRecord, maxNumbers = 50_000): Record<string, unknown> {
  const count = (v: unknown): number => (Array.isArray(v) ? v.reduce((a: number, x) => a + count(x), 0) : 1);
  const total = count(r.X) + count(r.T) + count(r.Yhat) + 2 * (count(r.weights) + count(r.biases));
  if (total <= maxNumbers) return { ...r };
  const sum = (v: unknown): Record<string, unknown> => {
    const flat = (v as unknown[]).flat(3) as number[];
    const shape: number[] = [];
    for (let a: unknown = v; Array.isArray(a); a = a[0]) shape.push(a.length);
    let lo = Infinity, hi = -Infinity, s = 0;
    for (const x of flat) { lo = Math.min(lo, x); hi = Math.max(hi, x); s += x; }
    return { shape, min: lo, max: hi, mean: s / flat.length };
  };
  return {
    ...r, summarized: true, X: sum(r.X), T: sum(r.T), Yhat: sum(r.Yhat),
    weights: r.weights.map(sum), biases: r.biases.map(sum),
    grads: { weights: r.grads.weights.map(sum), biases: r.grads.biases.map(sum) },
  };
}

/** The matrix-form derivation as text (terminals) or Markdown with LaTeX. */
export function explainBatch(net: NetLike, X: Tensor | readonly (readonly number[])[], T: Tensor | readonly (readonly number[])[], opts: BatchExplainOptions = {}): string {
  return renderDerivation(explainBatchTrace(net, X, T, opts).derivation, opts.format, opts.digits, opts.maxValues ?? 64);
}
