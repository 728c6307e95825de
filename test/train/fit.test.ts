// fit(): exact resume after a crash, the three regimes, early stopping, callbacks, digits >= 95%.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEmbedded } from '../../src/data/read-files.js';
import { tensor, randn } from '../../src/tensor/index.js';
import { mlp } from '../../src/nn/index.js';
import { Adam, StepLR } from '../../src/optim/index.js';
import { fit, evaluate, predict } from '../../src/train/index.js';
import { Rng } from '../../src/random.js';

import { bytesOf } from '../helpers/files.js';

const data = () => {
  const x = randn([64, 3], { seed: 1 });
  const y = tensor(Array.from({ length: 64 }, (_, i) => (x.data[3 * i] + x.data[3 * i + 1] * x.data[3 * i + 2] > 0 ? 1 : 0)));
  return { x, y, task: 'classification' as const };
};

test('resume after a simulated crash equals the uninterrupted run bit for bit', async () => {
  const opts = (model: ReturnType<typeof mlp>) => ({
    epochs: 6, batchSize: 10, seed: 42, optimizer: new Adam(model.parameters(), { lr: 0.01 }), metrics: ['accuracy'],
  });
  const full = mlp([3, 8, 2], { seed: 1, dropout: 0.2 });
  const o = opts(full);
  const h1 = await fit(full, data(), { ...o, scheduler: new StepLR(o.optimizer, 2, 0.5) });

  const saved = new Map<string, Uint8Array>();
  const crashed = mlp([3, 8, 2], { seed: 1, dropout: 0.2 });
  const oc = opts(crashed);
  await assert.rejects(fit(crashed, data(), {
    ...oc, scheduler: new StepLR(oc.optimizer, 2, 0.5),
    checkpoint: { path: 'ckpt.nabla', every: 1, write: (p, b) => { saved.set(p, b); } },
    callbacks: { onEpochEnd: (e) => { if (e === 2) throw new Error('power cut'); } },
  }), /power cut/);

  const resumed = mlp([3, 8, 2], { seed: 99, dropout: 0.2 }); // different init: weights come from the checkpoint
  const or = opts(resumed);
  const h2 = await fit(resumed, data(), { ...or, scheduler: new StepLR(or.optimizer, 2, 0.5), resume: saved.get('ckpt.nabla')! });
  for (const [n, p] of full.namedParameters()) {
    assert.deepEqual(bytesOf(resumed.stateDict()[n].data), bytesOf(p.data), n);
  }
  assert.deepEqual(h2, h1);
});

test('regimes, validation split, early stopping with restore, callbacks with samples/s', async () => {
  for (const batchSize of [Infinity, 16, 1]) {
    const m = mlp([3, 8, 2], { seed: 2 });
    const h = await fit(m, data(), { epochs: 3, batchSize, optimizer: 'adam', lr: 0.01, validationSplit: 0.25, metrics: ['accuracy'] });
    assert.equal(h.loss.length, 3); assert.equal(h.val_loss.length, 3); assert.equal(h.val_accuracy.length, 3);
  }
  const m = mlp([3, 8, 2], { seed: 2 });
  let batches = 0, sps = 0;
  const h = await fit(m, data(), {
    epochs: 200, batchSize: 8, optimizer: 'adam', lr: 0.05, validationSplit: 0.25,
    earlyStopping: { patience: 3, restoreBestWeights: true },
    callbacks: { onBatchEnd: (_b, l) => { batches++; sps = l.samplesPerSec; } },
  });
  assert.ok(h.epoch.length < 200, 'stopped early');
  assert.ok(batches > 0 && sps > 0);
  const best = Math.min(...h.val_loss);
  const d = data();
  const v = evaluate(m, { x: tensor(d.x.data.slice(48 * 3), { shape: [16, 3] }), y: tensor(d.y.data.slice(48)) }, { loss: 'crossEntropy' });
  assert.ok(Math.abs(v.loss - best) < 1e-6, `${v.loss} vs best ${best}`);
});

test('digits (UCI 8x8) reach >= 95% held-out accuracy', async () => {
  const digits = loadEmbedded('digits'); // the copy of UCI digits shipped in data/
  const n = digits.x.shape[0], x = new Float32Array(n * 64), y = new Float32Array(n);
  const perm = new Rng(0).permutation(n);
  for (let r = 0; r < n; r++) {
    const i = perm[r];
    for (let j = 0; j < 64; j++) x[i * 64 + j] = digits.x.data[r * 64 + j] / 16;
    y[i] = digits.y.data[r];
  }
  const nTrain = Math.floor(n * 0.8);
  const train = { x: tensor(x.subarray(0, nTrain * 64), { shape: [nTrain, 64] }), y: tensor(y.subarray(0, nTrain)) };
  const testSet = { x: tensor(x.subarray(nTrain * 64), { shape: [n - nTrain, 64] }), y: tensor(y.subarray(nTrain)) };
  const m = mlp([64, 128, 10], { seed: 0 });
  await fit(m, train, { epochs: 30, batchSize: 32, optimizer: 'adam', lr: 0.003, loss: 'crossEntropy', seed: 1 });
  const r = evaluate(m, testSet, { loss: 'crossEntropy', metrics: ['accuracy'] });
  assert.ok(r.accuracy >= 0.95, `held-out accuracy ${r.accuracy}`);
  assert.equal(predict(m, testSet.x, { batchSize: 100 }).shape[0], n - nTrain);
});

test('evaluate reads logits like fit when the loss is bceWithLogits, and refuses bad labels', () => {
  const model = mlp([1, 1], { seed: 0 });
  // A model whose output is its input: logits 0.1, 0.2 (class 1) and −0.1, −0.2 (class 0).
  model.parameters()[0].data.set([1]);
  model.parameters()[1].data.set([0]);
  const x = tensor([[0.1], [0.2], [-0.1], [-0.2]]), y = tensor([[1], [1], [0], [0]]);
  assert.equal(evaluate(model, { x, y }, { loss: 'bceWithLogits', metrics: ['accuracy'] }).accuracy, 1);
  const m3 = mlp([2, 3], { seed: 0 });
  const zero = (p: typeof x) => p.sum().mul(0);
  assert.throws(() => evaluate(m3, { x: randn([2, 2], { seed: 1 }), y: tensor([5, 1.5]) }, { loss: zero, metrics: ['accuracy'] }), /label 5 in row 0/);
});
