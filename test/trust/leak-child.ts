// Child process for the leak test (run with --expose-gc): trains a small MLP for N steps on one
// backend and prints one JSON line with resident memory and WASM memory after warm-up and at the end.
import { availableBackends, getBackend, setBackend, tensor, type BackendName } from '../../src/index.js';
import { mlp, mseLoss } from '../../src/nn/index.js';
import { Adam } from '../../src/optim/index.js';
import { Rng } from '../../src/random.js';

const [backend, stepsArg, warmArg, mode, dataDir] = process.argv.slice(2);
const steps = Number(stepsArg), warm = Number(warmArg);
if (!availableBackends().includes(backend as BackendName)) throw new Error(`backend ${backend} not available`);
setBackend(backend as BackendName);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const wasmBytes = () => (getBackend() as { memoryBytes?: number }).memoryBytes ?? 0;
const settle = () => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage().rss; };
// Live JS memory (heap + typed-array backing stores): the leak signal free of allocator noise.
const live = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

if (mode === 'fashion-mnist') {
  // A few epochs of the real workload through fit(): 784-256-128-10 on the 10,000 test images of
  // the folder given (npm run accuracy passes the full data set).
  const { loadIdxDir } = await import('../../src/data/read-files.js');
  const { fit } = await import('../../src/train/index.js');
  if (!dataDir) throw new Error('fashion-mnist mode needs the data folder as its fifth argument');
  const ds = loadIdxDir(dataDir, 'test');
  const net = mlp([784, 256, 128, 10], { seed: 1 });
  const epochs = steps;
  let rssWarm = 0, liveWarm = 0, wasmWarm = 0, loss = 0;
  const samples: number[] = [];
  const t0 = performance.now();
  await fit(net, ds, {
    epochs, batchSize: 128, optimizer: 'sgd', lr: 0.05, loss: 'crossEntropy',
    callbacks: { onEpochEnd: (e, logs) => {
      loss = logs.loss;
      if (e === warm - 1) { rssWarm = settle(); liveWarm = live(); wasmWarm = wasmBytes(); } else if (e >= warm) samples.push(settle());
    } },
  });
  const seconds = (performance.now() - t0) / 1000;
  const rssEnd = settle(), liveEnd = live();
  console.log(JSON.stringify({ backend, steps: epochs * Math.ceil(ds.x.shape[0] / 128), warm, seconds, loss, rssWarm, rssEnd, rssMax: Math.max(rssEnd, ...samples), samples: samples.map((v) => +((v - rssWarm) / 2 ** 20).toFixed(2)), liveWarm, liveEnd, wasmWarm, wasmEnd: wasmBytes() }));
  process.exit(0);
}

const rng = new Rng(7);
const model = mlp([4, 16, 16, 2], { activation: 'tanh', seed: 1 });
const opt = new Adam(model.parameters(), { lr: 1e-3 });
const batches = Array.from({ length: 16 }, () => {
  const x = Array.from({ length: 32 }, () => rng.uniform(-1, 1));
  return { x: tensor(x, { shape: [8, 4] }), y: tensor(x.slice(0, 16).map((v) => Math.sin(3 * v)), { shape: [8, 2] }) };
});

let rssWarm = 0, liveWarm = 0, wasmWarm = 0, loss = 0;
const samples: number[] = [];
const t0 = performance.now();
for (let s = 0; s < steps; s++) {
  const { x, y } = batches[s % batches.length];
  opt.zeroGrad();
  const J = mseLoss(model.forward(x), y);
  J.backward();
  opt.step();
  if (s === warm - 1) { rssWarm = settle(); liveWarm = live(); wasmWarm = wasmBytes(); }
  if (s >= warm && (s + 1) % Math.max(1, Math.floor((steps - warm) / 8)) === 0) samples.push(settle());
  if (s === steps - 1) loss = J.item();
}
const seconds = (performance.now() - t0) / 1000;
const rssEnd = settle();
const liveEnd = live();
console.log(JSON.stringify({ backend, steps, warm, seconds, loss, rssWarm, rssEnd, rssMax: Math.max(rssEnd, ...samples), samples: samples.map((v) => +((v - rssWarm) / 2 ** 20).toFixed(2)), liveWarm, liveEnd, wasmWarm, wasmEnd: wasmBytes() }));
