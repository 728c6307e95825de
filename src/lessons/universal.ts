// universal: CSC413's expressive power. (1) One hidden layer fits sin on [−π, π] better as it
// gets wider (widths 1, 3, 16). (2) Universality for binary inputs: with 2ᴰ hard-threshold hidden
// units, each firing for exactly one input configuration, and a linear output, every Boolean
// function of D inputs is represented exactly; counted here for all 256 functions of D = 3.
import { Linear } from '../nn/linear.js';
import { mlp } from '../nn/mlp.js';
import { HardThreshold } from '../nn/activations.js';
import { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/adam.js';
import { fit } from '../train/fit.js';
import { predict } from '../train/evaluate.js';
import { tensor } from '../tensor/creation.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const WIDTHS = [1, 3, 16];

/** All 2ᴰ inputs in {−1, 1}ᴰ, in binary counting order. */
export function configurations(D: number): number[][] {
  return Array.from({ length: 2 ** D }, (_, i) => Array.from({ length: D }, (_, j) => ((i >> (D - 1 - j)) & 1 ? 1 : -1)));
}

/**
 * The notes' construction for a target table t (one value per configuration): hidden unit j has
 * weights cⱼ and bias −(D − 1), so cⱼ·x − D + 1 > 0 only when x = cⱼ (otherwise cⱼ·x ≤ D − 2);
 * the linear output sums tⱼ·hⱼ.
 */
export function binaryUniversalNet(D: number, t: number[]): Sequential {
  const cs = configurations(D), K = cs.length;
  const hidden = new Linear(D, K, { dtype: 'float64' }), out = new Linear(K, 1, { dtype: 'float64' });
  cs.forEach((c, j) => { c.forEach((v, i) => { hidden.weight.data[i * K + j] = v; }); hidden.bias!.data[j] = -(D - 1); });
  out.weight.data.set(t); out.bias!.data[0] = 0;
  return new Sequential(hidden, new HardThreshold(), out);
}

export const universalLesson: Lesson = {
  name: 'universal',
  source: 'CSC413 lecture 2: expressive power, universal approximators; universality for binary inputs and targets',
  claim: 'A wider hidden layer approximates sin better (widths 1, 3, 16; width 16 below 2e-3 mean squared error), and 2ᴰ hard-threshold units with a linear output represent every Boolean function of D inputs exactly.',
  async run() {
    const n = 32;
    const xs = Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1));
    const x = tensor(xs.map((v) => [v])), y = tensor(xs.map((v) => [Math.sin(v)]));
    const fits: { width: number; mse: number; curve: number[] }[] = [];
    for (const width of WIDTHS) {
      const net = mlp([1, width, 1], { activation: 'tanh', seed: 7 });
      await fit(net, { x, y }, { epochs: 800, batchSize: n, loss: 'mse', optimizer: new Adam(net.parameters(), { lr: 0.03 }), shuffle: false });
      const p = Array.from(predict(net, x).data);
      fits.push({ width, mse: p.reduce((s, v, i) => s + (v - Math.sin(xs[i])) ** 2, 0) / n, curve: p });
    }
    const D = 3, cs = configurations(D);
    let exact = 0;
    for (let f = 0; f < 2 ** (2 ** D); f++) {
      const t = cs.map((_, j) => ((f >> j) & 1 ? 1 : -1));
      const out = Array.from(binaryUniversalNet(D, t).forward(tensor(cs, { dtype: 'float64' })).data);
      if (out.every((v, j) => v === t[j])) exact++;
    }
    const total = 2 ** (2 ** D);
    const decreasing = fits.every((r, i) => i === 0 || r.mse < fits[i - 1].mse);
    // Stated tolerance: width 16 reaches a mean squared error below 2e-3.
    const holds = decreasing && fits[2].mse < 2e-3 && exact === total;
    const measurement = [
      ...fits.map((r) => `width ${r.width}: mean squared error ${r.mse.toExponential(2)} on 32 points of sin (800 Adam steps)`),
      `binary universality, D = ${D}: ${exact} of ${total} Boolean functions reproduced exactly by ${2 ** D} threshold units`,
    ];
    const svg = figure('Universality: wider layers fit sin better; 2ᴰ threshold units fit any Boolean function', [
      { title: 'one hidden tanh layer fitting sin', xTitle: 'x', yTitle: 'y', series: [
        { x: xs, y: xs.map(Math.sin), label: 'sin x', dashed: true, color: '#111827', dots: false },
        ...fits.map((r) => ({ x: xs, y: r.curve, label: `width ${r.width}`, dots: false })),
      ] },
      { title: 'error against width', xTitle: 'log₁₀ width', yTitle: 'log₁₀ MSE', series: [{ x: fits.map((r) => Math.log10(r.width)), y: fits.map((r) => Math.log10(r.mse)), dots: true }] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, svg, measurement, figures: { widths: WIDTHS, mse: fits.map((r) => r.mse), binary: { D, hidden_units: 2 ** D, functions: total, exact } } };
  },
};
