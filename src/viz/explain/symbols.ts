// How the notes write the symbols of a layered network, as text and as LaTeX.
import { expr, type Expr } from './derivation.js';
import { activation as activationDef } from '../../ops/index.js';
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

/** The activation's symbol from the op registry ('linear' is the identity, written id). */
function symbol(a: Activation): Expr {
  const m = activationDef(a).math;
  return expr(m.label, m.tex);
}

export const actName = (a: Activation): Expr => symbol(a);

/** g(s) written out, e.g. ReLU(z⁽¹⁾). */
export const apply = (a: Activation, s: Expr): Expr =>
  a === 'linear' ? s : expr(`${symbol(a).text}(${s.text})`, `${symbol(a).tex}(${s.tex})`);

/** g′(s), e.g. ReLU′(z⁽¹⁾). */
export const applyPrime = (a: Activation, s: Expr): Expr =>
  expr(`${symbol(a).text}′(${s.text})`, `${symbol(a).tex}'(${s.tex})`);
