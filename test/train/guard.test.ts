// Guarded training: a non-finite loss or gradient never reaches the weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

function data(badRow?: number) {
  const x = nb.randn([32, 3], { seed: 1 });
  const y = nb.randn([32, 1], { seed: 2 });
  if (badRow !== undefined) x.data[badRow * 3] = NaN;
  return { x, y };
}

const weights = (m: nb.Module) => m.parameters().map((p) => Array.from(p.data));

test('a NaN loss stops fit naming epoch and batch, and leaves the last good weights', async () => {
  const model = nb.mlp([3, 4, 1], { seed: 0, activation: 'tanh' });
  const before = weights(model);
  await assert.rejects(
    nb.fit(model, data(0), { epochs: 2, batchSize: 32, loss: 'mse', optimizer: 'sgd', lr: 0.1 }),
    (e: Error) => e instanceof nb.NonFiniteError && /loss is NaN/.test(e.message) && /epoch 1, batch 1 of 1/.test(e.message),
  );
  assert.deepEqual(weights(model), before, 'no update from the bad batch');
});

test('a non-finite gradient with a finite loss names the first bad parameter', async () => {
  const model = nb.mlp([3, 4, 1], { seed: 0 });
  // sqrt at 0 has an infinite derivative: the loss is 0 but its gradient is NaN (∞·0).
  const loss = (pred: nb.Tensor) => pred.sub(pred).sqrt().sum();
  await assert.rejects(
    nb.fit(model, data(), { epochs: 1, batchSize: 32, loss, optimizer: 'sgd', lr: 0.1 }),
    (e: Error) => e instanceof nb.NonFiniteError && /gradient of '0\.weight'/.test(e.message),
  );
});

test("onNonFinite: 'skip' drops the bad batch and trains on the rest", async () => {
  const model = nb.mlp([3, 4, 1], { seed: 0 });
  const h = await nb.fit(model, data(5), { epochs: 3, batchSize: 8, shuffle: false, loss: 'mse', optimizer: 'sgd', lr: 0.05, onNonFinite: 'skip' });
  assert.deepEqual(h.skipped_batches, [1, 1, 1]);
  assert.ok(h.loss.every(Number.isFinite));
  assert.ok(model.parameters().every((p) => p.data.every(Number.isFinite)));
});

test('an exploding but finite gradient is named as such, not as element -1', async () => {
  const model = nb.mlp([3, 1], { seed: 0, dtype: 'float64' });
  const x = nb.randn([4, 3], { seed: 1, dtype: 'float64' }), y = nb.randn([4, 1], { seed: 2, dtype: 'float64' });
  // Gradients near 1e155 are finite, but their squared norm overflows float64.
  const loss = (pred: nb.Tensor, t: nb.Tensor) => pred.sub(t).sum().mul(1e155);
  await assert.rejects(
    nb.fit(model, { x, y }, { epochs: 1, batchSize: 4, loss, optimizer: 'sgd', lr: 0.1 }),
    (e: Error) => e instanceof nb.NonFiniteError && /exploding/.test(e.message) && !/-1/.test(e.message),
  );
});
