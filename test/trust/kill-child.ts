// Child process for the kill test: trains with a checkpoint after every epoch (a few batches each),
// resuming from the checkpoint when one exists, until the parent SIGKILLs it.
import { existsSync } from 'node:fs';
import { ModelCheckpoint, tensor } from '../../src/index.js';
import { atomicCheckpointWriter, loadModel } from '../../src/io/atomic-files.js';
import { mlp } from '../../src/nn/index.js';
import { Rng } from '../../src/random.js';
import { fit } from '../../src/train/index.js';

const path = process.argv[2];
const rng = new Rng(3);
const n = 256, d = 64;
const xs = Array.from({ length: n * d }, () => rng.uniform(-1, 1));
const x = tensor(xs, { shape: [n, d] });
const y = tensor(Array.from({ length: n * 4 }, (_, i) => Math.tanh(xs[i])), { shape: [n, 4] });
// ~90k parameters plus Adam state: each checkpoint is ~1 MB, so kills often land mid-write.
const model = mlp([d, 256, 256, 4], { activation: 'relu', seed: 1 });
const resume = existsSync(path) ? loadModel(path) : undefined;
process.stdout.write('started\n');
await fit(model, { x, y }, {
  epochs: 1_000_000, batchSize: 64, loss: 'mse', optimizer: 'adam', lr: 1e-3, seed: 5, resume,
  callbacks: [new ModelCheckpoint({ path, write: atomicCheckpointWriter })],
});
