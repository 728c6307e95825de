// The README's examples, run as a user would: through the package name (the built dist/ that
// `npm install` produces), with the README's own numbers asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  value, mlp, crossEntropy, l2Penalty, SGD, randn, randint, fit, evaluate, split, grad, hvp, hessian,
  softplus, tensor, Standardizer, explainScalar, explain, toDot, profile, formatProfile, type Tensor,
} from 'nabla';
import { loadEmbedded, saveModel, loadModel } from 'nabla/node';

test('README: scalar backprop, f = (x + y)·z', () => {
  const x = value(-1), y = value(2), z = value(-3);
  const f = x.add(y).mul(z);
  f.backward();
  assert.deepEqual([f.data, x.grad, y.grad, z.grad], [-3, -3, -3, 1]);
});

test('README: one SGD step on J = L + λ/2·Σ‖W‖²', () => {
  const model = mlp([64, 32, 10], { activation: 'relu', seed: 0 });
  const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const X = randn([128, 64], { seed: 1 }), labels = randint(0, 10, [128], { seed: 2 });
  const before = model.parameters()[0].data.slice();
  opt.zeroGrad();
  const J = crossEntropy(model.forward(X), labels).add(l2Penalty(model, 1e-4));
  J.backward();
  opt.step();
  assert.ok(Number.isFinite(J.item()));
  assert.notDeepEqual(model.parameters()[0].data, before);
});

test('README: fit, evaluate and save on the embedded digits', async () => {
  const model = mlp([64, 32, 10], { activation: 'relu', seed: 0 });
  const parts = split(loadEmbedded('digits'), { seed: 0, stratify: true });
  const scaler = new Standardizer().fit(parts.train.x);
  const [train, validation, testSet] = [parts.train, parts.validation, parts.test].map((d) => scaler.transformDataset(d));
  const seen: number[] = [];
  const history = await fit(model, train, {
    epochs: 30, batchSize: 32, optimizer: 'adam', lr: 1e-3, metrics: ['accuracy'],
    validationData: validation, earlyStopping: { patience: 5, restoreBestWeights: true },
    callbacks: { onEpochEnd: (e) => { seen.push(e); } },
  });
  assert.ok(seen.length > 5);
  const r = evaluate(model, testSet, { metrics: ['accuracy'] });
  assert.ok(r.accuracy > 0.95, `test accuracy ${r.accuracy}`);
  console.log(`README digits example: test ${JSON.stringify(r)}`);
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-readme-')), 'digits.nabla');
  saveModel(path, model, { history });
  assert.deepEqual(loadModel(path).model.forward(testSet.x).toArray(), model.forward(testSet.x).toArray());
});

test('README: transforms', () => {
  const f = (x: Tensor) => softplus(x).sum();
  const x = tensor([0, 1], { dtype: 'float64' });
  const s = [0, 1].map((v) => 1 / (1 + Math.exp(-v)));
  grad(f)(x).data.forEach((v, i) => assert.ok(Math.abs(v - s[i]) < 1e-12));
  grad((y: Tensor) => grad(f)(y).sum())(x).data.forEach((v, i) => assert.ok(Math.abs(v - s[i] * (1 - s[i])) < 1e-12));
  assert.ok(Math.abs(hvp(f, x, tensor([1, 0], { dtype: 'float64' })).data[0] - 0.25) < 1e-12);
  assert.deepEqual(hessian(f, x).shape, [2, 2]);
});

test('README: see backprop', () => {
  assert.match(explainScalar('logistic-least-squares'), /σ/);
  const W1 = randn([2, 3], { seed: 1 }), b1 = randn([3], { seed: 2 });
  const W2 = randn([3, 1], { seed: 3 }), b2 = randn([1], { seed: 4 });
  const net = { layers: [{ weight: W1, bias: b1, activation: 'relu' }, { weight: W2, bias: b2 }] };
  assert.match(explain(net, [0.5, -1], [1], { format: 'markdown' }), /\\frac|\$/);
  const model = mlp([64, 32, 10], { seed: 0 });
  const X = randn([16, 64], { seed: 1 }), labels = randint(0, 10, [16], { seed: 2 });
  assert.match(toDot(crossEntropy(model.forward(X), labels), { showValues: true }), /^digraph/);
  assert.match(formatProfile(profile(net, randn([128, 2]))), /backward/i); // the README's line as written
});
