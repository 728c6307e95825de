// sigmoid-to-step: CSC413's "you can approximate a hard threshold by scaling up the weights":
// σ(kx) approaches the step function as k grows. Outside |x| ≤ δ the largest gap is exactly
// σ(−kδ), which nabla's measured maximum must match.
import { linspace } from '../tensor/creation.js';
import { heaviside, sigmoid } from '../tensor/index.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const KS = [1, 5, 50];
const DELTA = 0.1;

export const sigmoidToStepLesson: Lesson = {
  name: 'sigmoid-to-step',
  source: 'CSC413 lecture 2: expressive power, σ(x) and σ(5x) approximating a hard threshold',
  claim: 'σ(kx) approaches the hard threshold as k grows: the largest gap outside |x| ≤ 0.1 falls with k and is below 0.01 at k = 50.',
  async run() {
    const x = linspace(-2, 2, 401, { dtype: 'float64' });
    const s = heaviside(x).data;
    const rows = KS.map((k) => {
      const y = sigmoid(x.mul(k)).data;
      let gap = 0;
      for (let i = 0; i < y.length; i++) if (Math.abs(x.data[i]) > DELTA + 1e-12) gap = Math.max(gap, Math.abs(y[i] - s[i]));
      return { k, gap, curve: Array.from(y) };
    });
    // The gap is largest at the grid points nearest to 0 outside δ, so it must equal σ(−k·edge) up to rounding.
    const edge = Math.min(...Array.from(x.data).map(Math.abs).filter((v) => v > DELTA + 1e-12));
    const predicted = (k: number) => 1 / (1 + Math.exp(k * edge));
    const matches = rows.every((r) => Math.abs(r.gap - predicted(r.k)) < 1e-12);
    const holds = rows.every((r, i) => i === 0 || r.gap < rows[i - 1].gap) && rows[2].gap < 0.01 && matches;
    const measurement = rows.map((r) => `k = ${r.k}: max |σ(kx) − step(x)| for |x| > ${DELTA} is ${r.gap.toExponential(3)} (σ(−k·${edge.toFixed(2)}) = ${predicted(r.k).toExponential(3)})`);
    const xs = Array.from(x.data);
    const svg = figure('σ(kx) approaches the hard threshold', [
      { title: 'σ(kx) and step(x)', xTitle: 'x', yTitle: 'y', series: [
        { x: xs, y: Array.from(s), label: 'step', color: '#111827', dashed: true, dots: false },
        ...rows.map((r) => ({ x: xs, y: r.curve, label: `σ(${r.k}x)`, dots: false })),
      ] },
      { title: 'largest gap outside |x| ≤ 0.1', xTitle: 'log₁₀ k', yTitle: 'log₁₀ gap', series: [{ x: rows.map((r) => Math.log10(r.k)), y: rows.map((r) => Math.log10(r.gap)), dots: true }] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, svg, measurement, figures: { k: KS, delta: DELTA, max_gap: rows.map((r) => r.gap) } };
  },
};

