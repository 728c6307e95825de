// per-example: the notes' minibatch gradient is the average of the per-example gradients
// (Freiburg's learning algorithm sums ∂Lₙ/∂w over the patterns; Navarin's J = (1/N)Σ J⁽ⁱ⁾).
// vmap(grad(loss)) computes every per-example gradient in one batched pass; their mean must equal
// grad of the mean loss over the minibatch.
import { grad } from '../autograd/transforms.js';
import { vmap } from '../autograd/vmap.js';
import { randn } from '../tensor/creation.js';
import { matmul, mean, mul, square, sub, sum, tanh } from '../tensor/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const f64 = { dtype: 'float64' as const };

export const perExampleLesson: Lesson = {
  name: 'per-example',
  source: 'Freiburg notes, generic MLP learning algorithm (sum of ∂Lₙ/∂w over patterns); Navarin, extension to multiple examples',
  claim: 'The minibatch gradient of the mean loss equals the mean of the per-example gradients, which vmap(grad(loss)) computes in one batched pass.',
  async run() {
    const n = 16, d = 5, h = 7;
    const X = randn([n, d], { seed: 1, ...f64 }), T = randn([n, 1], { seed: 2, ...f64 });
    const W1 = randn([d, h], { seed: 3, ...f64 }), W2 = randn([h, 1], { seed: 4, ...f64 });
    const net = (w1: Tensor, x: Tensor) => matmul(tanh(matmul(x, w1)), W2);
    // One example's half squared error (x is a row [d], t a value [1]).
    const one = (w1: Tensor, x: Tensor, t: Tensor) => mul(sum(square(sub(net(w1, x.reshape(1, d)), t.reshape(1, 1)))), 0.5);
    const batch = (w1: Tensor) => mul(mean(square(sub(net(w1, X), T))), 0.5);
    const perExample = vmap(grad(one), [null, 0, 0])(W1, X, T);
    const full = grad(batch)(W1);
    const avg = mean(perExample, 0);
    let maxDiff = 0;
    for (let i = 0; i < full.size; i++) maxDiff = Math.max(maxDiff, Math.abs(avg.data[i] - full.data[i]));
    // Each row of the vmapped result must also match grad on that example alone.
    let rowDiff = 0;
    for (let i = 0; i < n; i++) {
      const gi = grad(one)(W1, X.slice([i, i + 1]).reshape(d), T.slice([i, i + 1]).reshape(1));
      for (let k = 0; k < gi.size; k++) rowDiff = Math.max(rowDiff, Math.abs(gi.data[k] - perExample.data[i * gi.size + k]));
    }
    const shapeOk = perExample.shape.join(',') === [n, d, h].join(',');
    // Stated tolerance: float64 rounding, 1e-12.
    const holds = shapeOk && maxDiff < 1e-12 && rowDiff < 1e-12;
    const norms = Array.from({ length: n }, (_, i) => Math.sqrt(Array.from(perExample.data.subarray(i * d * h, (i + 1) * d * h)).reduce((s, v) => s + v * v, 0)));
    const measurement = [
      `vmap(grad(loss)) over ${n} examples: per-example gradients of shape [${perExample.shape.join(', ')}]`,
      `mean of the per-example gradients vs grad of the mean loss: max |difference| ${maxDiff.toExponential(2)}`,
      `each vmapped row vs grad on that example alone: max |difference| ${rowDiff.toExponential(2)}`,
    ];
    const svg = figure('The minibatch gradient is the mean of per-example gradients', [
      { title: 'per-example gradient norms ‖∂Lᵢ/∂W⁽¹⁾‖', xTitle: 'example i', yTitle: 'norm', series: [
        { x: norms.map((_, i) => i), y: norms, line: false, dots: true, label: 'per example' },
        { x: [0, n - 1], y: [Math.hypot(...Array.from(full.data)), Math.hypot(...Array.from(full.data))], dashed: true, dots: false, label: '‖minibatch gradient‖' },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return { lesson: this.name, claim: this.claim, holds, svg, measurement, figures: { n, per_example_shape: perExample.shape, max_abs_difference: maxDiff, max_row_difference: rowDiff, per_example_norms: norms } };
  },
};
