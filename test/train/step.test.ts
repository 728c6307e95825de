// trainStep is the step fit runs, and fit's extras are callbacks: a custom loop over trainStep
// reaches fit's weights bit for bit, the guard leaves the weights alone, a stateful callback is
// checkpointed and restored, and ModelCheckpoint writes the epoch early stopping ends on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { bytesOf } from '../helpers/files.js';

const data = () => {
  const x = nb.randn([40, 3], { seed: 1 });
  const y = nb.tensor(Array.from({ length: 40 }, (_, i) => (x.data[3 * i] * x.data[3 * i + 1] > 0 ? 1 : 0)));
  return { x, y };
};

test('a hand loop over trainStep gives fit\'s weights bit for bit (l2, clipping, Adam)', async () => {
  const { x, y } = data();
  const viaFit = nb.mlp([3, 6, 2], { seed: 4 });
  await nb.fit(viaFit, { x, y }, { epochs: 2, batchSize: 8, shuffle: false, loss: 'crossEntropy', optimizer: 'adam', lr: 0.02, l2: 1e-3, clipNorm: 0.5 });

  const byHand = nb.mlp([3, 6, 2], { seed: 4 });
  const optimizer = new nb.Adam(byHand.parameters(), { lr: 0.02 });
  const losses: number[] = [];
  byHand.train();
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let s = 0; s < 40; s += 8) {
      const r = nb.trainStep(byHand, nb.slice(x, [[s, s + 8]]), nb.slice(y, [[s, s + 8]]), { loss: 'crossEntropy', optimizer, l2: 1e-3, clipNorm: 0.5 });
      assert.equal(r.skipped, null);
      assert.equal(r.rows, 8);
      assert.deepEqual(r.output.shape, [8, 2]);
      losses.push(r.loss);
    }
  }
  assert.ok(losses.every(Number.isFinite) && losses[losses.length - 1] < losses[0]);
  for (const [n, p] of viaFit.namedParameters()) assert.deepEqual(bytesOf(byHand.stateDict()[n].data), bytesOf(p.data), n);
});

test('trainStep on a non-finite batch: throws by default, reports with skip, never updates', () => {
  const model = nb.mlp([3, 4, 1], { seed: 0 });
  const optimizer = new nb.SGD(model.parameters(), { lr: 0.1 });
  const x = nb.randn([4, 3], { seed: 1 }), y = nb.randn([4, 1], { seed: 2 });
  x.data[0] = NaN;
  const before = model.parameters().map((p) => Array.from(p.data));
  assert.throws(() => nb.trainStep(model, x, y, { loss: 'mse', optimizer }), (e: Error) => e instanceof nb.NonFiniteError && /NaN/.test(e.message) && /unchanged/.test(e.message));
  const r = nb.trainStep(model, x, y, { loss: 'mse', optimizer, onNonFinite: 'skip' });
  assert.match(r.skipped!, /NaN/);
  assert.deepEqual(model.parameters().map((p) => Array.from(p.data)), before);
});

test('a stateful callback is saved in the checkpoint and restored on resume; bytes are refused', async () => {
  // Counts batches across the whole run: after a resume it must continue, not restart at 0.
  class BatchCounter implements nb.Callback {
    readonly stateKey = 'batchCounter';
    count = 0;
    onBatchEnd(): void { this.count++; }
    stateDict(): unknown { return { count: this.count }; }
    loadStateDict(s: unknown): void { this.count = (s as { count: number }).count; }
  }
  const saved = new Map<string, Uint8Array>();
  const first = new BatchCounter();
  const model = nb.mlp([3, 4, 2], { seed: 1 });
  await nb.fit(model, data(), {
    epochs: 2, batchSize: 10, loss: 'crossEntropy',
    callbacks: [first, new nb.ModelCheckpoint({ path: 'run-{epoch}.nabla', write: (p, b) => { saved.set(p, b); } })],
  });
  assert.deepEqual([...saved.keys()], ['run-1.nabla', 'run-2.nabla']);
  assert.equal(first.count, 8);

  const again = new BatchCounter();
  const checkpoint = nb.deserializeModel(saved.get('run-1.nabla')!);
  assert.deepEqual((checkpoint.training as nb.TrainingState).batchCounter, { count: 4 });
  await nb.fit(nb.mlp([3, 4, 2], { seed: 1 }), data(), { epochs: 3, batchSize: 10, loss: 'crossEntropy', callbacks: again, resume: checkpoint });
  assert.equal(again.count, 4 + 2 * 4, 'continues from the checkpoint: epochs 2 and 3');

  await assert.rejects(
    nb.fit(model, data(), { epochs: 1, resume: saved.get('run-1.nabla') as unknown as nb.Checkpoint }),
    (e: Error) => e instanceof nb.ConfigError && /deserializeModel/.test(e.message),
  );
});

test('ModelCheckpoint writes the epoch that early stopping ends on, with its state', async () => {
  const saved = new Map<string, Uint8Array>();
  let sawStop = false;
  const h = await nb.fit(nb.mlp([3, 4, 2], { seed: 2 }), data(), {
    epochs: 100, batchSize: 40, loss: 'crossEntropy', optimizer: 'sgd', lr: 1e-6,
    // The loss barely moves: minDelta makes every epoch "no progress", so patience 2 stops at epoch 3.
    earlyStopping: { monitor: 'loss', patience: 2, minDelta: 1 },
    callbacks: [
      new nb.ModelCheckpoint({ path: 'c-{epoch}.nabla', every: 50, write: (p, b) => { saved.set(p, b); } }),
      { onTrainEnd: (_h, ctx) => { sawStop = ctx.stopTraining; } },
    ],
  });
  assert.equal(h.epoch.length, 3);
  assert.ok(sawStop);
  assert.deepEqual([...saved.keys()], ['c-3.nabla']);
  const t = nb.deserializeModel(saved.get('c-3.nabla')!).training as nb.TrainingState;
  assert.equal(t.epoch, 3);
  assert.equal((t.early as { wait: number }).wait, 2);
});
