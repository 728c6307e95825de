// explainScalar(): the notes' worked scalar examples, step by step, computed with Value (the
// scalar engine): forward values from .data, every derivative from .grad after backward().
import { ConfigError } from '../../errors.js';
import { Value, value } from '../../scalar/value.js';
import { fmtNum } from '../numbers.js';
import { expr, renderDerivation, val, type Derivation, type ExplainFormat, type Expr, type Step } from './derivation.js';

export type ScalarExample = 'sum-product' | 'logistic-least-squares' | 'two-layer-relu';

export interface ScalarExplainOptions {
  format?: ExplainFormat;
  digits?: number;
  /** Override the example's inputs and weights by name (x, y, z; w, b, x, t; w0, b0, w1, b1, x, y). */
  values?: Record<string, number>;
}

export interface ScalarTrace {
  derivation: Derivation;
  /** Every named Value of the example (inputs, intermediates, the result), after backward(). */
  nodes: Record<string, Value>;
}

const sym = (text: string, tex = text): Expr => expr(text, tex);
const d = (f: Expr, v: Expr): Expr => expr(`∂${f.text}/∂${v.text}`, `\\frac{\\partial ${f.tex}}{\\partial ${v.tex}}`);
const paren = (x: number, digits: number) => (x < 0 ? `(${fmtNum(x, digits)})` : fmtNum(x, digits));

function pick(defaults: Record<string, number>, given: Record<string, number> = {}): Record<string, number> {
  for (const k of Object.keys(given)) {
    if (!(k in defaults)) throw new ConfigError(`explainScalar: unknown value '${k}'; this example takes ${Object.keys(defaults).join(', ')}`);
  }
  return { ...defaults, ...given };
}

const step = (lhs: Expr, v: number, formula?: Expr, substituted?: Expr): Step => ({ lhs, formula, substituted, value: val(v) });

/** f = (x + y)·z: q = x + y, f = q·z. */
function sumProduct(given: Record<string, number> | undefined, digits: number): ScalarTrace {
  // The notes print z = 3 but their q = 1, f = −3 and ∂f/∂q = z = −3 all need z = −3; we use −3.
  const v = pick({ x: -1, y: 2, z: -3 }, given);
  const x = value(v.x, 'x'), y = value(v.y, 'y'), z = value(v.z, 'z');
  const q = x.add(y); q.label = 'q';
  const f = q.mul(z); f.label = 'f';
  f.backward();
  const [F, Q, Xs, Ys, Zs] = [sym('f'), sym('q'), sym('x'), sym('y'), sym('z')];
  const p = (n: number) => paren(n, digits);
  const notes = ['The notes\' first backprop example. Forward: values from Value.data; backward: every ∂f/∂· is Value.grad after f.backward().'];
  if (given?.z === undefined) notes.push('The notes print z = 3, but their own results q = 1, f = −3 and ∂f/∂q = z = −3 need z = −3, which is used here.');
  return {
    nodes: { x, y, z, q, f },
    derivation: {
      title: 'f(x, y, z) = (x + y)·z',
      notes,
      sections: [
        { title: 'Forward pass', steps: [
          step(Xs, x.data), step(Ys, y.data), step(Zs, z.data),
          step(Q, q.data, sym('x + y'), sym(`${p(x.data)} + ${p(y.data)}`)),
          step(F, f.data, sym('q·z', 'q \\cdot z'), sym(`${p(q.data)}·${p(z.data)}`, `${p(q.data)} \\cdot ${p(z.data)}`)),
        ] },
        { title: 'Backward pass', steps: [
          step(d(F, F), f.grad),
          step(d(F, Zs), z.grad, sym('∂f/∂f · q', '\\frac{\\partial f}{\\partial f} q'), sym(`${p(f.grad)}·${p(q.data)}`, `${p(f.grad)} \\cdot ${p(q.data)}`)),
          step(d(F, Q), q.grad, sym('∂f/∂f · z', '\\frac{\\partial f}{\\partial f} z'), sym(`${p(f.grad)}·${p(z.data)}`, `${p(f.grad)} \\cdot ${p(z.data)}`)),
          step(d(F, Xs), x.grad, sym('∂f/∂q · ∂q/∂x', '\\frac{\\partial f}{\\partial q} \\frac{\\partial q}{\\partial x}'), sym(`${p(q.grad)}·(1)`, `${p(q.grad)} \\cdot (1)`)),
          step(d(F, Ys), y.grad, sym('∂f/∂q · ∂q/∂y', '\\frac{\\partial f}{\\partial q} \\frac{\\partial q}{\\partial y}'), sym(`${p(q.grad)}·(1)`, `${p(q.grad)} \\cdot (1)`)),
        ] },
      ],
    },
  };
}

/** The univariate logistic least-squares unit: z = wx + b, y = σ(z), L = ½(y − t)². */
function logistic(given: Record<string, number> | undefined, digits: number): ScalarTrace {
  const v = pick({ w: 0.5, b: -1, x: 2, t: 1 }, given);
  const w = value(v.w, 'w'), b = value(v.b, 'b'), x = value(v.x, 'x'), t = value(v.t, 't');
  const z = w.mul(x).add(b); z.label = 'z';
  const y = z.sigmoid(); y.label = 'y';
  const L = y.sub(t).pow(2).mul(0.5); L.label = 'L';
  L.backward();
  const p = (n: number) => paren(n, digits);
  const sp = y.data * (1 - y.data);
  const [Ls, Ys, Zs, Ws, Bs] = [sym('L', '\\mathcal{L}'), sym('y'), sym('z'), sym('w'), sym('b')];
  return {
    nodes: { w, b, x, t, z, y, L },
    derivation: {
      title: 'Logistic least squares: z = wx + b, y = σ(z), L = ½(y − t)²',
      notes: ['The notes\' univariate logistic least-squares model, with error signals ȳ = dL/dy, z̄ = dL/dz, ... read from Value.grad.'],
      sections: [
        { title: 'Forward pass', steps: [
          step(sym('w'), w.data), step(sym('b'), b.data), step(sym('x'), x.data), step(sym('t'), t.data),
          step(Zs, z.data, sym('wx + b'), sym(`${p(w.data)}·${p(x.data)} + ${p(b.data)}`, `${p(w.data)} \\cdot ${p(x.data)} + ${p(b.data)}`)),
          step(Ys, y.data, sym('σ(z)', '\\sigma(z)'), sym(`σ(${fmtNum(z.data, digits)})`, `\\sigma(${fmtNum(z.data, digits)})`)),
          step(Ls, L.data, sym('½(y − t)²', '\\tfrac{1}{2}(y - t)^2'), sym(`½(${fmtNum(y.data, digits)} − ${fmtNum(t.data, digits)})²`, `\\tfrac{1}{2}(${fmtNum(y.data, digits)} - ${fmtNum(t.data, digits)})^2`)),
        ] },
        { title: 'Backward pass (error signals)', steps: [
          step(sym('ȳ = dL/dy', '\\bar{y} = \\frac{d\\mathcal{L}}{dy}'), y.grad, sym('y − t', 'y - t')),
          step(sym('z̄ = dL/dz', '\\bar{z} = \\frac{d\\mathcal{L}}{dz}'), z.grad, sym('ȳ·σ′(z) = ȳ·y(1 − y)', "\\bar{y} \\, \\sigma'(z) = \\bar{y} \\, y(1 - y)"), sym(`${p(y.grad)}·${fmtNum(sp, digits)}`, `${p(y.grad)} \\cdot ${fmtNum(sp, digits)}`)),
          step(expr('w̄ = ∂L/∂w', '\\bar{w} = ' + d(Ls, Ws).tex), w.grad, sym('z̄·x', '\\bar{z} \\, x'), sym(`${p(z.grad)}·${p(x.data)}`, `${p(z.grad)} \\cdot ${p(x.data)}`)),
          step(expr('b̄ = ∂L/∂b', '\\bar{b} = ' + d(Ls, Bs).tex), b.grad, sym('z̄', '\\bar{z}')),
        ] },
      ],
    },
  };
}

/** The notes' 2-layer example, one unit per layer: z₀ = w₀x + b₀, h₀ = ReLU(z₀), z₁ = w₁h₀ + b₁, ŷ = z₁, L = ½(ŷ − y)². */
function twoLayer(given: Record<string, number> | undefined, digits: number): ScalarTrace {
  const v = pick({ x: 2, w0: 0.5, b0: 0.5, w1: -1, b1: 0.5, y: 1 }, given);
  const x = value(v.x, 'x'), w0 = value(v.w0, 'w₀'), b0 = value(v.b0, 'b₀'), w1 = value(v.w1, 'w₁'), b1 = value(v.b1, 'b₁'), y = value(v.y, 'y');
  const z0 = w0.mul(x).add(b0); z0.label = 'z₀';
  const h0 = z0.relu(); h0.label = 'h₀';
  const z1 = w1.mul(h0).add(b1); z1.label = 'z₁';
  const yhat = z1; // g₁ is linear
  const L = yhat.sub(y).pow(2).mul(0.5); L.label = 'L';
  L.backward();
  const p = (n: number) => paren(n, digits);
  const [Ls, Yh, Z1, H0, Z0] = [sym('L', 'L'), sym('ŷ', '\\hat{y}'), sym('z₁', 'z_1'), sym('h₀', 'h_0'), sym('z₀', 'z_0')];
  const gate = z0.data > 0 ? 1 : 0;
  return {
    nodes: { x, w0, b0, w1, b1, y, z0, h0, z1, yhat, L },
    derivation: {
      title: 'The 2-layer example: z₀ = w₀x + b₀, h₀ = ReLU(z₀), z₁ = w₁h₀ + b₁, ŷ = z₁, L = ½(ŷ − y)²',
      notes: ['The notes\' 2-layer MLP with one unit per layer: g₀ = ReLU, g₁ linear, squared error. Derivatives are Value.grad after L.backward().'],
      sections: [
        { title: 'Forward pass', steps: [
          step(Z0, z0.data, sym('w₀x + b₀', 'w_0 x + b_0'), sym(`${p(w0.data)}·${p(x.data)} + ${p(b0.data)}`, `${p(w0.data)} \\cdot ${p(x.data)} + ${p(b0.data)}`)),
          step(H0, h0.data, sym('ReLU(z₀)', '\\mathrm{ReLU}(z_0)')),
          step(Z1, z1.data, sym('w₁h₀ + b₁', 'w_1 h_0 + b_1'), sym(`${p(w1.data)}·${p(h0.data)} + ${p(b1.data)}`, `${p(w1.data)} \\cdot ${p(h0.data)} + ${p(b1.data)}`)),
          step(Yh, yhat.data, sym('g₁(z₁) = z₁', 'g_1(z_1) = z_1')),
          step(Ls, L.data, sym('½(ŷ − y)²', '\\tfrac{1}{2}(\\hat{y} - y)^2'), sym(`½(${fmtNum(yhat.data, digits)} − ${fmtNum(y.data, digits)})²`, `\\tfrac{1}{2}(${fmtNum(yhat.data, digits)} - ${fmtNum(y.data, digits)})^2`)),
        ] },
        { title: 'Backward pass', steps: [
          step(d(Ls, Yh), yhat.grad, sym('ŷ − y', '\\hat{y} - y')),
          step(d(Ls, Z1), z1.grad, sym("∂L/∂ŷ · g₁′(z₁)", "\\frac{\\partial L}{\\partial \\hat{y}} \\, g_1'(z_1)"), sym(`${p(yhat.grad)}·1`, `${p(yhat.grad)} \\cdot 1`)),
          step(d(Ls, sym('w₁', 'w_1')), w1.grad, sym('∂L/∂z₁ · h₀', '\\frac{\\partial L}{\\partial z_1} h_0'), sym(`${p(z1.grad)}·${p(h0.data)}`, `${p(z1.grad)} \\cdot ${p(h0.data)}`)),
          step(d(Ls, sym('b₁', 'b_1')), b1.grad, sym('∂L/∂z₁ · 1', '\\frac{\\partial L}{\\partial z_1} \\cdot 1')),
          step(d(Ls, H0), h0.grad, sym('∂L/∂z₁ · w₁', '\\frac{\\partial L}{\\partial z_1} w_1'), sym(`${p(z1.grad)}·${p(w1.data)}`, `${p(z1.grad)} \\cdot ${p(w1.data)}`)),
          step(d(Ls, Z0), z0.grad, sym('∂L/∂h₀ if z₀ > 0, else 0', '\\frac{\\partial L}{\\partial h_0} \\text{ if } z_0 > 0 \\text{, else } 0'), sym(`${p(h0.grad)}·${gate}`, `${p(h0.grad)} \\cdot ${gate}`)),
          step(d(Ls, sym('w₀', 'w_0')), w0.grad, sym('∂L/∂z₀ · x', '\\frac{\\partial L}{\\partial z_0} x'), sym(`${p(z0.grad)}·${p(x.data)}`, `${p(z0.grad)} \\cdot ${p(x.data)}`)),
          step(d(Ls, sym('b₀', 'b_0')), b0.grad, sym('∂L/∂z₀ · 1', '\\frac{\\partial L}{\\partial z_0} \\cdot 1')),
        ] },
      ],
    },
  };
}

const EXAMPLES: Record<ScalarExample, (v: Record<string, number> | undefined, digits: number) => ScalarTrace> = {
  'sum-product': sumProduct,
  'logistic-least-squares': logistic,
  'two-layer-relu': twoLayer,
};

export const scalarExamples = Object.keys(EXAMPLES) as ScalarExample[];

export function explainScalarTrace(example: ScalarExample = 'sum-product', opts: ScalarExplainOptions = {}): ScalarTrace {
  const run = EXAMPLES[example];
  if (!run) throw new ConfigError(`explainScalar: unknown example '${example}'; use one of ${scalarExamples.join(', ')}`);
  return run(opts.values, opts.digits ?? 4);
}

/** One of the notes' scalar worked examples as text or Markdown with LaTeX. */
export function explainScalar(example: ScalarExample = 'sum-product', opts: ScalarExplainOptions = {}): string {
  return renderDerivation(explainScalarTrace(example, opts).derivation, opts.format, opts.digits);
}
