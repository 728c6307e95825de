// explain(): one example through a small dense network, forward then backward, written the
// way the notes write it (z⁽ˡ⁾ = W⁽ˡ⁾ᵀh⁽ˡ⁻¹⁾ + b⁽ˡ⁾, ..., ∂L/∂W⁽ˡ⁾ = h⁽ˡ⁻¹⁾·(∂L/∂z⁽ˡ⁾)ᵀ, ...).
// Every number is the engine's: a real forward on copies of the parameters, retainGrad() on
// each z and h, one backward(), and the printed gradients are read from .grad.
import { ConfigError } from '../../errors.js';
import { noGrad } from '../../tensor/tape.js';
import { Tensor } from '../../tensor/tensor.js';
import { logSoftmax, matmul, mul, neg, softmax, sigmoid, square, sub, sum, add, tensor } from '../../tensor/index.js';
import { binaryCrossEntropyWithLogits } from '../../nn/losses/binary-cross-entropy.js';
import { activationDerivative, activationOf, applyActivation, layerSizes, type Activation, type NetLike } from '../net.js';
import { expr, renderDerivation, val, type Derivation, type ExplainFormat, type Step } from './derivation.js';
import { actName, apply, applyPrime, dL, hSym, layerSym, LOSS, sup, T, YHAT } from './symbols.js';
import { fmtArray, texArray } from '../numbers.js';

export type ExplainLoss = 'half-mse' | 'ce';

export interface ExplainOptions {
  format?: ExplainFormat;
  /** half-mse: L = ½‖ŷ − t‖² (the notes' squared error); ce: cross-entropy on the last layer's logits. */
  loss?: ExplainLoss;
  /** Significant digits printed (default 4). */
  digits?: number;
  /** Values with more entries than this are printed as a one-line summary (default 64). */
  maxValues?: number;
  title?: string;
}

/** The engine tensors behind one layer's lines (copies of the caller's parameters). */
export interface ExplainedLayer {
  activation: Activation;
  /** The activation's parameter (leakyRelu slope, elu alpha) when the layer sets one. */
  param?: number;
  weight: Tensor;
  bias: Tensor | null;
  /** Pre-activation z⁽ˡ⁾; its .grad is ∂L/∂z⁽ˡ⁾. */
  z: Tensor;
  /** Activation h⁽ˡ⁾ = g(z⁽ˡ⁾) (ŷ for the last layer); .grad is ∂L/∂h⁽ˡ⁾ where the loss goes through it. */
  h: Tensor;
}

export interface ExplainTrace {
  derivation: Derivation;
  loss: Tensor;
  x: Tensor;
  target: Tensor;
  /** ŷ as shown (softmax or σ of the logits for ce). */
  output: Tensor;
  layers: ExplainedLayer[];
}

type Input = Tensor | readonly number[] | number;

function toVector(v: Input, dtype: Tensor['dtype'], what: string): Tensor {
  const t = v instanceof Tensor ? tensor(v.data.slice(), { dtype }) : tensor(typeof v === 'number' ? [v] : [...v], { dtype });
  if (t.size === 0) throw new ConfigError(`explain: ${what} is empty`);
  return t;
}

/** The target as a vector of the output size; a class index becomes one-hot for ce. */
function targetVector(target: Input, out: number, loss: ExplainLoss, dtype: Tensor['dtype']): Tensor {
  if (loss === 'ce' && typeof target === 'number' && out > 1) {
    if (!Number.isInteger(target) || target < 0 || target >= out) throw new ConfigError(`explain: class index ${target} is not in 0..${out - 1}`);
    const oneHot = new Array<number>(out).fill(0);
    oneHot[target] = 1;
    return tensor(oneHot, { dtype });
  }
  const t = toVector(target, dtype, 'target');
  if (t.size !== out) throw new ConfigError(`explain: target has ${t.size} values but the network has ${out} outputs`);
  return t;
}

/** Run the example through the engine and build the derivation (no rendering). */
export function explainTrace(net: NetLike, x: Input, target: Input, opts: ExplainOptions = {}): ExplainTrace {
  const sizes = layerSizes(net);
  const loss = opts.loss ?? 'half-mse';
  const n = net.layers.length;
  const dtype = net.layers[0].weight.dtype;
  const xv = toVector(x, dtype, 'x');
  if (xv.size !== sizes[0]) throw new ConfigError(`explain: x has ${xv.size} values but the network takes ${sizes[0]}`);
  const t = targetVector(target, sizes[n], loss, dtype);
  const lastAct = activationOf(net.layers[n - 1]);
  if (loss === 'ce' && !['linear', 'softmax', 'sigmoid'].includes(lastAct)) {
    throw new ConfigError(`explain: the ce loss needs a linear, softmax or sigmoid output layer, not ${lastAct}`);
  }
  if (loss === 'ce' && lastAct === 'sigmoid' && sizes[n] !== 1) throw new ConfigError('explain: a sigmoid output with ce needs one output unit');
  if (loss === 'half-mse' && lastAct === 'softmax') throw new ConfigError("explain: softmax outputs are explained with loss 'ce'");

  // Forward, on copies so that the caller's .grad fields stay untouched.
  const layers: ExplainedLayer[] = [];
  let h: Tensor = xv;
  net.layers.forEach((layer, i) => {
    const act = activationOf(layer);
    if (act === 'softmax' && i < n - 1) throw new ConfigError(`explain: softmax is only supported on the output layer (layer ${i + 1})`);
    const weight = layer.weight.detach().requiresGrad_();
    const bias = layer.bias ? layer.bias.detach().requiresGrad_() : null;
    // x is a 1-d vector, so matmul(h, W) with W [in, out] is exactly Wᵀh, the notes' single-example form.
    const a = matmul(h, weight);
    const z = (bias ? add(a, bias) : a).retainGrad();
    const ceHead = loss === 'ce' && i === n - 1;
    const out = ceHead ? z : applyActivation(act, z, layer.param).retainGrad();
    layers.push({ activation: act, param: layer.param, weight, bias, z, h: out });
    h = out;
  });
  const zL = layers[n - 1].z;
  let L: Tensor, output: Tensor;
  if (loss === 'half-mse') {
    output = layers[n - 1].h;
    L = mul(sum(square(sub(output, t))), 0.5);
  } else if (lastAct === 'sigmoid') {
    // −[t log σ(z) + (1 − t) log(1 − σ(z))] = softplus(z) − t·z, the stable form.
    L = binaryCrossEntropyWithLogits(zL, t, { reduction: 'sum' });
    output = noGrad(() => sigmoid(zL));
  } else {
    L = neg(sum(mul(t, logSoftmax(zL))));
    output = noGrad(() => softmax(zL));
  }
  L.backward();

  const derivation = buildDerivation(layers, xv, t, output, L, loss, lastAct, opts.digits ?? 4, opts.title);
  return { derivation, loss: L, x: xv, target: t, output, layers };
}

function buildDerivation(
  layers: ExplainedLayer[], x: Tensor, t: Tensor, output: Tensor, L: Tensor,
  loss: ExplainLoss, lastAct: Activation, digits: number, title?: string,
): Derivation {
  const n = layers.length;
  const W = (l: number) => layerSym('W', l), b = (l: number) => layerSym('b', l), z = (l: number) => layerSym('z', l);
  const shaped = (lhs: Step['lhs'], value: Tensor, formula?: Step['formula'], substituted?: Step['substituted']): Step =>
    ({ lhs, formula, substituted, value: val(value), showShape: true });
  const fwd: Step[] = [shaped(hSym(0, n), x), shaped(T, t)];
  // Every weight and bias used, so that anyone can redo the arithmetic by hand.
  const params: Step[] = [];
  layers.forEach((ly, i) => {
    params.push(shaped(W(i + 1), ly.weight));
    if (ly.bias) params.push(shaped(b(i + 1), ly.bias));
  });
  layers.forEach((ly, i) => {
    const l = i + 1, hin = hSym(l - 1, n);
    // W⁽ˡ⁾ᵀ in LaTeX is \mathbf{W}^{(l)\top}: one superscript, as the notes typeset it.
    const wT = expr(`${W(l).text}ᵀ`, `\\mathbf{W}^{(${l})\\top}`);
    const formula = ly.bias
      ? expr(`${wT.text}${hin.text} + ${b(l).text}`, `${wT.tex} ${hin.tex} + ${b(l).tex}`)
      : expr(`${wT.text}${hin.text}`, `${wT.tex} ${hin.tex}`);
    fwd.push(shaped(z(l), ly.z, formula));
    if (l < n || loss === 'half-mse') fwd.push(shaped(hSym(l, n), ly.h, apply(ly.activation, z(l))));
  });
  const ceAct: Activation = lastAct === 'sigmoid' ? 'sigmoid' : 'softmax';
  if (loss === 'ce') fwd.push(shaped(YHAT, output, apply(ceAct, z(n))));
  fwd.push(shaped(LOSS, L, loss === 'half-mse'
    ? expr('½‖ŷ − t‖²', '\\tfrac{1}{2}\\lVert \\hat{\\mathbf{y}} - \\mathbf{t} \\rVert^2')
    : ceAct === 'softmax'
      ? expr('−Σₖ tₖ log ŷₖ', '-\\sum_k t_k \\log \\hat{y}_k')
      : expr('−[t log ŷ + (1 − t) log(1 − ŷ)]', '-\\left[t \\log \\hat{y} + (1 - t) \\log(1 - \\hat{y})\\right]')));

  const bwd: Step[] = [];
  const grad = (v: Tensor, what: string): Tensor => {
    if (!v.grad) throw new Error(`explain: the engine kept no gradient for ${what}`); // a core bug if it happens
    return v.grad;
  };
  for (let l = n; l >= 1; l--) {
    const ly = layers[l - 1], hl = hSym(l, n), hin = hSym(l - 1, n);
    if (l === n && loss === 'ce') {
      bwd.push(shaped(dL(z(l)), grad(ly.z, `z${sup(l)}`), expr('ŷ − t', '\\hat{\\mathbf{y}} - \\mathbf{t}')));
    } else {
      if (l === n) bwd.push(shaped(dL(YHAT), grad(ly.h, 'ŷ'), expr('ŷ − t', '\\hat{\\mathbf{y}} - \\mathbf{t}')));
      const gp = noGrad(() => activationDerivative(ly.activation, ly.z, ly.h, ly.param));
      const rule = expr(`${dL(hl).text} ⊙ ${applyPrime(ly.activation, z(l)).text}`, `${dL(hl).tex} \\odot ${applyPrime(ly.activation, z(l)).tex}`);
      const dh = grad(ly.h, hl.text);
      const nums = expr(`${fmtArray(dh.data, dh.shape, digits)} ⊙ ${fmtArray(gp.data, gp.shape, digits)}`,
        `${texArray(dh.data, dh.shape, digits)} \\odot ${texArray(gp.data, gp.shape, digits)}`);
      bwd.push(shaped(dL(z(l)), grad(ly.z, `z${sup(l)}`), rule, nums));
    }
    bwd.push(shaped(dL(W(l)), grad(ly.weight, `W${sup(l)}`),
      expr(`${hin.text}·(${dL(z(l)).text})ᵀ`, `${hin.tex} \\left(${dL(z(l)).tex}\\right)^{\\top}`)));
    if (ly.bias) bwd.push(shaped(dL(b(l)), grad(ly.bias, `b${sup(l)}`), dL(z(l))));
    if (l > 1) {
      const prev = layers[l - 2];
      bwd.push(shaped(dL(hin), grad(prev.h, hin.text), expr(`${W(l).text}·${dL(z(l)).text}`, `${W(l).tex} ${dL(z(l)).tex}`)));
    }
  }
  const act = layers.map((ly) => actName(ly.activation).text).join(', ');
  return {
    title: title ?? `Backprop on one example: ${[layers[0].weight.shape[0], ...layers.map((ly) => ly.weight.shape[1])].join('-')} network (${act})`,
    notes: [
      'Vectors are columns. nabla stores W⁽ˡ⁾ as [in, out] (batch form Z = X·W + b), so the notes\' single-example ' +
        'z⁽ˡ⁾ = W⁽ˡ⁾ᵀh⁽ˡ⁻¹⁾ + b⁽ˡ⁾ holds as written; ∂L/∂W⁽ˡ⁾ = h⁽ˡ⁻¹⁾·(∂L/∂z⁽ˡ⁾)ᵀ then has W⁽ˡ⁾\'s shape [in, out] ' +
        '(the one-example case of Hᵀ·∂L/∂Z), and ∂L/∂h⁽ˡ⁻¹⁾ = W⁽ˡ⁾·∂L/∂z⁽ˡ⁾.',
      'Every number is nabla\'s own: one forward pass, one backward(), gradients read from .grad (retainGrad() on each z and h).',
    ],
    sections: [{ title: 'Parameters (W⁽ˡ⁾ stored [in, out])', steps: params }, { title: 'Forward pass', steps: fwd }, { title: 'Backward pass', steps: bwd }],
  };
}

/** The derivation as text (terminals) or Markdown with LaTeX. */
export function explain(net: NetLike, x: Input, target: Input, opts: ExplainOptions = {}): string {
  return renderDerivation(explainTrace(net, x, target, opts).derivation, opts.format, opts.digits, opts.maxValues ?? 64);
}
