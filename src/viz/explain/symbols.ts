// How the notes write the symbols of a layered network, as text and as LaTeX.
import { expr, type Expr } from './derivation.js';
import type { Activation } from '../net.js';

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
export const sup = (l: number) => `⁽${String(l).replace(/\d/g, (c) => SUP[+c])}⁾`;

/** A layer quantity like z⁽²⁾ / \mathbf{z}^{(2)}. */
export const layerSym = (letter: string, l: number): Expr => expr(`${letter}${sup(l)}`, `\\mathbf{${letter}}^{(${l})}`);

export const X = expr('x', '\\mathbf{x}');
export const T = expr('t', '\\mathbf{t}');
export const YHAT = expr('ŷ', '\\hat{\\mathbf{y}}');
export const LOSS = expr('L', 'L');

/** ∂L/∂s. */
export const dL = (s: Expr): Expr => expr(`∂L/∂${s.text}`, `\\frac{\\partial L}{\\partial ${s.tex}}`);

/** h⁽ˡ⁾ for hidden layers, x for l = 0, ŷ for the last layer. */
export function hSym(l: number, last: number): Expr {
  if (l === 0) return X;
  return l === last ? YHAT : layerSym('h', l);
}

const NAMES: Record<Activation, Expr> = {
  linear: expr('id', '\\mathrm{id}'),
  relu: expr('ReLU', '\\mathrm{ReLU}'),
  sigmoid: expr('σ', '\\sigma'),
  tanh: expr('tanh', '\\tanh'),
  softplus: expr('softplus', '\\mathrm{softplus}'),
  leakyRelu: expr('LeakyReLU', '\\mathrm{LeakyReLU}'),
  elu: expr('ELU', '\\mathrm{ELU}'),
  gelu: expr('GELU', '\\mathrm{GELU}'),
  softmax: expr('softmax', '\\mathrm{softmax}'),
};

export const actName = (a: Activation): Expr => NAMES[a];

/** g(s) written out, e.g. ReLU(z⁽¹⁾). */
export const apply = (a: Activation, s: Expr): Expr =>
  a === 'linear' ? s : expr(`${NAMES[a].text}(${s.text})`, `${NAMES[a].tex}(${s.tex})`);

/** g′(s), e.g. ReLU′(z⁽¹⁾). */
export const applyPrime = (a: Activation, s: Expr): Expr =>
  expr(`${NAMES[a].text}′(${s.text})`, `${NAMES[a].tex}'(${s.tex})`);
