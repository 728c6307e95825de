// The notes' claims about what networks can and cannot represent, and XOR learned from fixed seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, sigmoid, heaviside, matmul, linspace, sin, reshape } from '../../src/tensor/index.js';
import { Linear, Sequential, mlp, ReLU, HardThreshold, Identity, LeakyReLU, Activation, moduleFromConfig } from '../../src/nn/index.js';
import { fit, predict } from '../../src/train/index.js';
import { SGD, Adam } from '../../src/optim/index.js';

const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const T = tensor([[0], [1], [1], [0]]);

test('XOR: a 2-2-1 sigmoid network learns it from a fixed seed', async () => {
  const net = mlp([2, 2, 1], { activation: 'sigmoid', outputActivation: 'sigmoid', seed: 3 });
  await fit(net, { x: X, y: T }, { epochs: 3000, batchSize: 4, loss: 'bce', optimizer: new SGD(net.parameters(), { lr: 2, momentum: 0.9 }), shuffle: false });
  const y = predict(net, X).data;
  assert.deepEqual([...y].map((v) => (v > 0.5 ? 1 : 0)), [0, 1, 1, 0], `outputs ${[...y]}`);
});

test('XOR: a ReLU network learns it from a fixed seed', async () => {
  const net = mlp([2, 8, 1], { activation: 'relu', seed: 1 });
  await fit(net, { x: X, y: T }, { epochs: 500, batchSize: 4, loss: 'bceWithLogits', optimizer: new Adam(net.parameters(), { lr: 0.05 }) });
  assert.deepEqual([...predict(net, X).data].map((v) => (v > 0 ? 1 : 0)), [0, 1, 1, 0]);
});

test("the notes' hand-built hard-threshold network computes XOR exactly", () => {
  // h1 = OR = [x1 + x2 − 0.5 > 0], h2 = AND = [x1 + x2 − 1.5 > 0], y = [h1 − h2 − 0.5 > 0]
  const l1 = new Linear(2, 2), l2 = new Linear(2, 1);
  l1.weight.data.set([1, 1, 1, 1]); l1.bias!.data.set([-0.5, -1.5]);
  l2.weight.data.set([1, -1]); l2.bias!.data.set([-0.5]);
  const net = new Sequential(l1, new HardThreshold(), l2, new HardThreshold());
  assert.deepEqual([...net.forward(X).data], [0, 1, 1, 0]);
});

test('a linear model cannot learn XOR, but ψ(x) = (x1, x2, x1·x2) makes it separable', async () => {
  const lin = new Linear(2, 1, { seed: 0 });
  await fit(lin, { x: X, y: T }, { epochs: 2000, batchSize: 4, loss: 'bceWithLogits', optimizer: new Adam(lin.parameters(), { lr: 0.1 }) });
  const wrong = [...predict(lin, X).data].filter((v, i) => (v > 0 ? 1 : 0) !== T.data[i]).length;
  assert.ok(wrong >= 1, 'a linear classifier gets at least one XOR point wrong');
  const psi = tensor([[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]]);
  const lin3 = new Linear(3, 1, { seed: 0 });
  await fit(lin3, { x: psi, y: T }, { epochs: 2000, batchSize: 4, loss: 'bceWithLogits', optimizer: new Adam(lin3.parameters(), { lr: 0.1 }) });
  assert.deepEqual([...predict(lin3, psi).data].map((v) => (v > 0 ? 1 : 0)), [0, 1, 1, 0]);
});

test('a stack of linear layers equals one linear layer with the product of the weights', () => {
  const a = new Linear(3, 4, { bias: false, seed: 1, dtype: 'float64' });
  const b = new Linear(4, 5, { bias: false, seed: 2, dtype: 'float64' });
  const c = new Linear(5, 2, { bias: false, seed: 3, dtype: 'float64' });
  const deep = new Sequential(a, new Identity(), b, c);
  const W = matmul(matmul(a.weight, b.weight), c.weight);
  const x = tensor([[1, -2, 0.5], [0.3, 0.1, -1]], { dtype: 'float64' });
  const y1 = deep.forward(x).data, y2 = matmul(x, W).data;
  for (let i = 0; i < y1.length; i++) assert.ok(Math.abs(y1[i] - y2[i]) < 1e-12);
});

test('σ(kx) approaches the hard threshold as k grows (σ(5x), σ(50x))', () => {
  const x = linspace(-2, 2, 401, { dtype: 'float64' });
  const mask = [...x.data].map((v) => Math.abs(v) > 0.1);
  const err = (k: number) => {
    const d = sigmoid(x.mul(k)).data, s = heaviside(x).data;
    return Math.max(...[...d].map((v, i) => (mask[i] ? Math.abs(v - s[i]) : 0)));
  };
  const e1 = err(1), e5 = err(5), e50 = err(50);
  assert.ok(e1 > e5 && e5 > e50, `${e1} ${e5} ${e50}`);
  assert.ok(e50 < 0.01);
});

test('one hidden layer fits sin on [−π, π], error falling as width grows', async () => {
  const x = reshape(linspace(-Math.PI, Math.PI, 64), [64, 1]);
  const y = sin(x);
  const mseFor = async (width: number) => {
    const net = mlp([1, width, 1], { activation: 'tanh', seed: 7 });
    await fit(net, { x, y }, { epochs: 2000, batchSize: 64, loss: 'mse', optimizer: new Adam(net.parameters(), { lr: 0.02 }), shuffle: false });
    const p = predict(net, x).data;
    return [...p].reduce((s, v, i) => s + (v - y.data[i]) ** 2, 0) / 64;
  };
  const e1 = await mseFor(1), e3 = await mseFor(3), e16 = await mseFor(16);
  assert.ok(e1 > e3 && e3 > e16, `${e1} ${e3} ${e16}`);
  assert.ok(e16 < 1e-3, `width 16 mse ${e16}`);
});

test('activation module configs round-trip through moduleFromConfig', () => {
  assert.deepEqual(new ReLU().config(), { type: 'ReLU' });
  for (const m of [new ReLU(), new LeakyReLU(0.3), new Identity()]) {
    const back = moduleFromConfig(m.config()) as Activation;
    assert.equal(back.kind, m.kind);
    assert.equal(back.param, m.param);
    assert.deepEqual(back.config(), m.config());
  }
});
