// feature-map: CSC413's ψ(x) = (x₁, x₂, x₁x₂) makes XOR linearly separable: the same linear
// classifier that fails on x gets all four points right on ψ(x).
import { Linear } from '../nn/linear.js';
import { tensor } from '../tensor/creation.js';
import { accuracy, classesOf, pct, trainBinary, verdict } from './common.js';
import { figure, regionsOf } from './figure.js';
import type { Lesson } from './lesson.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]], T = [0, 1, 1, 0];
export const psi = (p: number[]): number[] => [p[0], p[1], p[0] * p[1]];

export const featureMapLesson: Lesson = {
  name: 'feature-map',
  source: 'CSC413 lecture 2: feature maps, ψ(x) = (x₁, x₂, x₁x₂) for XOR',
  claim: 'A linear classifier cannot fit XOR on x = (x₁, x₂), but on ψ(x) = (x₁, x₂, x₁x₂) it classifies all four points correctly.',
  async run() {
    const t = tensor(T.map((v) => [v]));
    const onX = new Linear(2, 1, { seed: 0 }), onPsi = new Linear(3, 1, { seed: 0 });
    await trainBinary(onX, tensor(X), t, 400, 0.1);
    await trainBinary(onPsi, tensor(X.map(psi)), t, 400, 0.1);
    const accX = accuracy(classesOf(onX, X), T), accPsi = accuracy(classesOf(onPsi, X.map(psi)), T);
    const w = Array.from(onPsi.weight.data), b = onPsi.bias!.data[0];
    const holds = accX <= 0.75 && accPsi === 1;
    const measurement = [
      `linear on x: ${pct(accX)}; linear on ψ(x): ${pct(accPsi)}`,
      `learned separator: class 1 where ${w[0].toFixed(2)}·x₁ + ${w[1].toFixed(2)}·x₂ + ${w[2].toFixed(2)}·x₁x₂ + ${b.toFixed(2)} > 0`,
      ...X.map((p, i) => `  x = (${p.join(', ')})  ψ(x) = (${psi(p).join(', ')})  t = ${T[i]}`),
    ];
    const pts = (c: number) => ({ x: X.filter((_, i) => T[i] === c).map((p) => p[0]), y: X.filter((_, i) => T[i] === c).map((p) => p[1]), line: false, dots: true, label: `t = ${c}` });
    const r: [number, number] = [-0.5, 1.5];
    const svg = figure('A feature map makes XOR linearly separable', [
      { title: `linear on x: ${pct(accX)}`, xTitle: 'x₁', yTitle: 'x₂', series: [pts(0), pts(1)], regions: regionsOf((p) => classesOf(onX, p), r, r) },
      { title: `linear on ψ(x): ${pct(accPsi)}`, xTitle: 'x₁', yTitle: 'x₂', series: [pts(0), pts(1)], regions: regionsOf((p) => classesOf(onPsi, p.map(psi)), r, r) },
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, svg, measurement, figures: { linear_on_x_accuracy: accX, linear_on_psi_accuracy: accPsi, psi_weights: w, psi_bias: b } };
  },
};
