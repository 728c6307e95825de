// Losses against hand computations, gradchecks in float64, and the notes' J = L + s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/tensor/index.js';
import { gradcheck as gc } from '../../src/autograd/gradcheck.js';
import { halfSquaredError, mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, nllLoss, huberLoss, l2Penalty, l1Penalty, Linear } from '../../src/nn/index.js';

const f64 = { dtype: 'float64' as const };
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('half squared error is 1/(2n)·Σ(Ŷ−Y)² with n rows; mse is the mean of squares', () => {
  const p = tensor([[1, 2], [3, 5]], f64), y = tensor([[0, 2], [1, 1]], f64);
  close(halfSquaredError(p, y).item(), (1 + 0 + 4 + 16) / 4);
  close(halfSquaredError(p, y, { reduction: 'sum' }).item(), 21 / 2);
  close(mseLoss(p, y).item(), 21 / 4);
  assert.deepEqual([...mseLoss(p, y, { reduction: 'none' }).data], [1, 0, 4, 16]);
  assert.throws(() => mseLoss(p, tensor([1, 2], f64)), /same shape/);
});

test('cross-entropy on logits with labels equals one-hot targets and −log softmax', () => {
  const z = tensor([[1, 2, 3], [1, 0, -1]], f64);
  const ce = crossEntropy(z, tensor([2, 0], f64)).item();
  const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
  close(ce, ((lse([1, 2, 3]) - 3) + (lse([1, 0, -1]) - 1)) / 2);
  close(crossEntropy(z, tensor([[0, 0, 1], [1, 0, 0]], f64)).item(), ce);
  close(nllLoss(z.logSoftmax(1), tensor([2, 0], f64), { reduction: 'sum' }).item(), 2 * ce);
  assert.throws(() => crossEntropy(z, tensor([3, 0], f64)), /out of range/);
});

test('BCE on probabilities and the stable logits form agree; huber', () => {
  const z = tensor([-2, 0, 3], f64), y = tensor([0, 1, 1], f64);
  const p = z.sigmoid();
  const hand = [...p.data].reduce((s, v, i) => s - (y.data[i] * Math.log(v) + (1 - y.data[i]) * Math.log(1 - v)), 0) / 3;
  close(binaryCrossEntropy(p, y).item(), hand);
  close(binaryCrossEntropyWithLogits(z, y).item(), hand);
  assert.ok(Number.isFinite(binaryCrossEntropyWithLogits(tensor([1000, -1000], f64), tensor([0, 1], f64)).item()));
  close(huberLoss(tensor([0.5, 3], f64), tensor([0, 0], f64)).item(), (0.125 + 2.5) / 2);
});

test('gradcheck (float64) for every loss', () => {
  const p = tensor([[0.2, -0.7, 1.1], [0.4, 0.3, -0.2]], f64), t = tensor([[0.1, 0.5, 1], [0, 0.3, 0.4]], f64);
  const labels = tensor([2, 0], f64), prob = tensor([[0.2, 0.7, 0.9], [0.4, 0.3, 0.6]], f64);
  const checks: [string, ReturnType<typeof gc>][] = [
    ['half', gc((a) => halfSquaredError(a, t), [p])],
    ['mse', gc((a) => mseLoss(a, t), [p])],
    ['ce labels', gc((a) => crossEntropy(a, labels), [p])],
    ['ce soft', gc((a) => crossEntropy(a, t), [p])],
    ['bce', gc((a) => binaryCrossEntropy(a, t), [prob])],
    ['bce logits', gc((a) => binaryCrossEntropyWithLogits(a, t), [p])],
    ['huber', gc((a) => huberLoss(a, t, { delta: 0.5 }), [p])],
    ['none', gc((a) => crossEntropy(a, labels, { reduction: 'none' }), [p])],
  ];
  for (const [name, r] of checks) assert.ok(r.passed, `${name}: ${JSON.stringify(r.inputs)}`);
});

test("J = L + s in one line; s = λ/2·Σ‖W‖² over weights only, ∂s/∂W = λW", () => {
  const lin = new Linear(2, 2, { seed: 1, dtype: 'float64' });
  const x = tensor([[1, 2]], f64), y = tensor([[0, 1]], f64);
  const lambda = 0.1;
  const J = halfSquaredError(lin.forward(x), y).add(l2Penalty(lin, lambda));
  const w = [...lin.weight.data];
  close(l2Penalty(lin, lambda).item(), (lambda / 2) * w.reduce((s, v) => s + v * v, 0));
  close(l2Penalty(lin, lambda, { includeBias: true }).item(), (lambda / 2) * [...w, ...lin.bias!.data].reduce((s, v) => s + v * v, 0));
  close(l1Penalty(lin, 1).item(), w.reduce((s, v) => s + Math.abs(v), 0));
  J.backward();
  const r = [...lin.forward(x).data].map((v, j) => v - y.data[j]);
  // ∂J/∂W = Xᵀ(Ŷ − Y)/n + λW
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) close(lin.weight.grad!.data[i * 2 + j], x.data[i] * r[j] + lambda * w[i * 2 + j]);
  for (let j = 0; j < 2; j++) close(lin.bias!.grad!.data[j], r[j]);
});
