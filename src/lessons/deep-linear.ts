// deep-linear: CSC413's "any sequence of linear layers can be equivalently represented with a
// single linear layer", y = W⁽³⁾W⁽²⁾W⁽¹⁾x: a deep linear network computes exactly the product
// matrix's map, and so, trained on XOR, it fails just as a linear model does.
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/sequential.js';
import { matmul } from '../tensor/index.js';
import { randn, tensor } from '../tensor/creation.js';
import { accuracy, classesOf, pct, trainBinary, verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

export const deepLinearLesson: Lesson = {
  name: 'deep-linear',
  source: 'CSC413 lecture 2: expressive power, deep linear networks',
  claim: 'A stack of linear layers equals one linear layer with W′ = W⁽¹⁾W⁽²⁾W⁽³⁾ (nabla stores W as [in, out]), so depth without non-linearity adds no expressive power: it still cannot fit XOR.',
  async run() {
    const f64 = { dtype: 'float64' as const };
    const a = new Linear(3, 8, { bias: false, seed: 1, ...f64 }), b = new Linear(8, 8, { bias: false, seed: 2, ...f64 }), c = new Linear(8, 2, { bias: false, seed: 3, ...f64 });
    const deep = new Sequential(a, b, c);
    const Wp = matmul(matmul(a.weight, b.weight), c.weight);
    const x = randn([200, 3], { seed: 5, ...f64 });
    const y1 = deep.forward(x).data, y2 = matmul(x, Wp).data;
    let maxDiff = 0;
    for (let i = 0; i < y1.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y1[i] - y2[i]));
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]], T = [0, 1, 1, 0];
    const deepXor = new Sequential(new Linear(2, 8, { seed: 1 }), new Linear(8, 8, { seed: 2 }), new Linear(8, 1, { seed: 3 }));
    await trainBinary(deepXor, tensor(X), tensor(T.map((v) => [v])), 400, 0.05);
    const acc = accuracy(classesOf(deepXor, X), T);
    // Stated tolerance: float64 rounding of a product of three 8-wide matrices, well under 1e-12.
    const holds = maxDiff < 1e-12 && acc <= 0.75;
    const measurement = [
      `3-layer linear network vs one layer with W′ = W⁽¹⁾W⁽²⁾W⁽³⁾ on 200 random inputs: max |difference| = ${maxDiff.toExponential(2)}`,
      `3-layer linear network trained on XOR (400 steps): ${pct(acc)} (a linear model gets at most 75%)`,
    ];
    const svg = figure('A deep linear network is one linear layer', [
      { title: 'deep output against single-layer output', xTitle: 'single layer W′x', yTitle: 'three linear layers', series: [
        { x: Array.from(y2), y: Array.from(y1), line: false, dots: true, label: `max |diff| ${maxDiff.toExponential(1)}` },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, svg, measurement, figures: { max_abs_difference: maxDiff, xor_accuracy: acc } };
  },
};
