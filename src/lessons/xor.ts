// xor: "XOR is not linearly separable" (CSC413 lecture 2, the convexity proof), an MLP learns
// it, and the notes' hand-built network of hard-threshold units computes it exactly.
import { Linear } from '../nn/linear.js';
import { mlp } from '../nn/mlp.js';
import { HardThreshold } from '../nn/activations.js';
import { Sequential } from '../nn/sequential.js';
import { tensor } from '../tensor/creation.js';
import { accuracy, classesOf, pct, trainBinary, verdict } from './common.js';
import { figure, regionsOf } from './figure.js';
import type { Lesson } from './lesson.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]], T = [0, 1, 1, 0];

/** h₁ = OR = [x₁ + x₂ − 0.5 > 0], h₂ = AND = [x₁ + x₂ − 1.5 > 0], y = [h₁ − h₂ − 0.5 > 0]. */
export function handBuiltXor(): Sequential {
  const l1 = new Linear(2, 2), l2 = new Linear(2, 1);
  l1.weight.data.set([1, 1, 1, 1]); l1.bias!.data.set([-0.5, -1.5]);
  l2.weight.data.set([1, -1]); l2.bias!.data.set([-0.5]);
  return new Sequential(l1, new HardThreshold(), l2, new HardThreshold());
}

export const xorLesson: Lesson = {
  name: 'xor',
  source: 'CSC413 lecture 2: limits of linear classification; designing a network to compute XOR',
  claim: 'No linear classifier gets all four XOR points right, an MLP with one hidden layer learns XOR, and two hard-threshold units (OR, AND) compute it exactly.',
  async run() {
    const x = tensor(X), t = tensor(T.map((v) => [v]));
    const linear = new Linear(2, 1, { seed: 0 });
    await trainBinary(linear, x, t, 400, 0.1);
    const net = mlp([2, 8, 1], { activation: 'relu', seed: 1 });
    await trainBinary(net, x, t, 400, 0.05);
    const linAcc = accuracy(classesOf(linear, x), T), mlpAcc = accuracy(classesOf(net, x), T);
    const hand = Array.from(handBuiltXor().forward(x).data);
    const handOk = hand.every((v, i) => v === T[i]);
    const holds = linAcc <= 0.75 && mlpAcc === 1 && handOk;
    const measurement = [
      `linear model (trained 400 steps): ${pct(linAcc)} of the 4 points (at most 3 of 4 can be right)`,
      `2-8-1 ReLU MLP (trained 400 steps): ${pct(mlpAcc)}`,
      `hand-built threshold net: outputs [${hand.join(', ')}] for targets [${T.join(', ')}]`,
    ];
    const pts = (c: number) => ({ x: X.filter((_, i) => T[i] === c).map((p) => p[0]), y: X.filter((_, i) => T[i] === c).map((p) => p[1]), line: false, dots: true, label: `t = ${c}` });
    const range: [number, number] = [-0.5, 1.5];
    const panel = (title: string, classify: (p: number[][]) => number[]) => ({ title, xTitle: 'x₁', yTitle: 'x₂', series: [pts(0), pts(1)], regions: regionsOf(classify, range, range) });
    const svg = figure('XOR: a linear model fails, an MLP solves it', [
      panel(`linear: ${pct(linAcc)}`, (p) => classesOf(linear, p)),
      panel(`2-8-1 ReLU MLP: ${pct(mlpAcc)}`, (p) => classesOf(net, p)),
      panel('hand-built OR/AND threshold net', (p) => Array.from(handBuiltXor().forward(tensor(p)).data)),
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, figures: { linear_accuracy: linAcc, mlp_accuracy: mlpAcc, hand_built_outputs: hand, targets: T }, measurement, svg };
  },
};
