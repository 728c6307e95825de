// threshold-units: why gradient descent cannot train hard-threshold units. The step function's
// derivative is 0 wherever it exists (everywhere but x = 0), so no gradient reaches the weights
// in front of a step unit: they never move. A sigmoid in the same place passes gradient and learns.
// (The notes: "logistic units are differentiable, so we can tune them with gradient descent".)
import { Linear } from '../nn/linear.js';
import { Activation, HardThreshold } from '../nn/activations.js';
import { Sequential } from '../nn/sequential.js';
import type { Module } from '../nn/module.js';
import { rngFrom } from '../random.js';
import { tensor } from '../tensor/creation.js';
import { heaviside, mul, sigmoid, square, sub, sum } from '../tensor/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const f64 = { dtype: 'float64' as const };
const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]], f64), T = tensor([[0], [1], [1], [0]], f64);

/** Plain gradient descent on ½‖y − t‖²/n; returns the first layer's nonzero gradient entries and how far its weights moved. */
function descend({ net, first }: { net: Sequential; first: Linear }, steps: number, lr: number): { nonzeroGrads: number; moved: number; losses: number[] } {
  const start = Float64Array.from(first.weight.data);
  let nonzeroGrads = 0;
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    for (const p of net.parameters()) p.grad = null;
    const L = mul(sum(square(sub(net.forward(X), T))), 0.5 / 4);
    losses.push(L.item());
    L.backward();
    if (s === 0) nonzeroGrads = first.weight.grad ? Array.from(first.weight.grad.data).filter((v) => v !== 0).length : 0;
    for (const p of net.parameters()) if (p.grad) for (let i = 0; i < p.size; i++) p.data[i] -= lr * p.grad.data[i];
  }
  let moved = 0;
  first.weight.data.forEach((v, i) => { moved = Math.max(moved, Math.abs(v - start[i])); });
  return { nonzeroGrads, moved, losses };
}

function build(hidden: Module): { net: Sequential; first: Linear } {
  const first = new Linear(2, 4, { seed: 3, ...f64 });
  return { net: new Sequential(first, hidden, new Linear(4, 1, { seed: 4, ...f64 })), first };
}

export const thresholdUnitsLesson: Lesson = {
  name: 'threshold-units',
  source: 'CSC413 lecture 2: hard threshold activation; "logistic units are differentiable, so we can tune them with gradient descent"',
  claim: 'The hard threshold has derivative 0 almost everywhere, so gradient descent cannot move the weights in front of step units; the same network with sigmoid units gets nonzero gradients and learns.',
  async run() {
    // Central differences of step at 1000 random points: zero unless the point is within h of 0.
    const rng = rngFrom({ seed: 0 }), h = 1e-6;
    const pts = Array.from({ length: 1000 }, () => rng.uniform(-2, 2));
    const fd = (f: (t: Tensor) => Tensor) => pts.map((p) => (f(tensor([p + h], f64)).item() - f(tensor([p - h], f64)).item()) / (2 * h));
    const stepFd = fd(heaviside), sigFd = fd((t) => sigmoid(t.mul(5)));
    const nonzeroStep = stepFd.filter((v) => v !== 0).length, nearZero = pts.filter((p) => Math.abs(p) < h).length;
    const nonzeroSig = sigFd.filter((v) => v !== 0).length;
    const stepNet = descend(build(new HardThreshold()), 100, 0.5);
    const sigNet = descend(build(new Activation('sigmoid')), 100, 0.5);
    const holds = nonzeroStep === nearZero && nonzeroSig === pts.length && stepNet.nonzeroGrads === 0 && stepNet.moved === 0
      && sigNet.nonzeroGrads > 0 && sigNet.moved > 0 && sigNet.losses[99] < sigNet.losses[0];
    const measurement = [
      `finite differences at 1000 random points: step′ ≠ 0 at ${nonzeroStep} (points within h of 0: ${nearZero}); σ(5x)′ ≠ 0 at ${nonzeroSig}`,
      `2-4-1 net with step hidden units, 100 gradient steps: ${stepNet.nonzeroGrads} of 8 first-layer gradient entries nonzero, first-layer weights moved by ${stepNet.moved}; loss ${stepNet.losses[0].toFixed(4)} → ${stepNet.losses[99].toFixed(4)}`,
      `the same net with sigmoid hidden units: ${sigNet.nonzeroGrads} of 8 nonzero, weights moved by ${sigNet.moved.toFixed(4)}; loss ${sigNet.losses[0].toFixed(4)} → ${sigNet.losses[99].toFixed(4)}`,
    ];
    const xs = Array.from({ length: 401 }, (_, i) => -2 + i / 100);
    const s5 = (v: number) => 1 / (1 + Math.exp(-5 * v));
    const svg = figure('Hard thresholds pass no gradient', [
      { title: 'activations', xTitle: 'z', yTitle: 'g(z)', series: [
        { x: xs, y: xs.map((v) => (v > 0 ? 1 : 0)), label: 'step', dots: false },
        { x: xs, y: xs.map(s5), label: 'σ(5z)', dots: false },
      ] },
      { title: 'derivatives', xTitle: 'z', yTitle: 'g′(z)', series: [
        { x: xs, y: xs.map(() => 0), label: 'step′ = 0 (z ≠ 0)', dots: false },
        { x: xs, y: xs.map((v) => 5 * s5(v) * (1 - s5(v))), label: 'σ(5z)′', dots: false },
      ] },
      { title: 'training loss, 100 gradient steps', xTitle: 'step', yTitle: 'L', series: [
        { x: stepNet.losses.map((_, i) => i), y: stepNet.losses, label: 'step units', dots: false },
        { x: sigNet.losses.map((_, i) => i), y: sigNet.losses, label: 'sigmoid units', dots: false },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return {
      lesson: this.name, claim: this.claim, holds, svg, measurement,
      figures: { points: pts.length, step_nonzero_derivatives: nonzeroStep, sigmoid_nonzero_derivatives: nonzeroSig, step_net: { nonzero_first_layer_grads: stepNet.nonzeroGrads, weights_moved: stepNet.moved, loss: [stepNet.losses[0], stepNet.losses[99]] }, sigmoid_net: { nonzero_first_layer_grads: sigNet.nonzeroGrads, weights_moved: sigNet.moved, loss: [sigNet.losses[0], sigNet.losses[99]] } },
    };
  },
};
