// nabla's side of the workloads, on one backend. The training steps are the ones a user runs:
// mlp() + a loss + SGD through trainStep (forward, loss, backward, non-finite guard, update),
// reading the loss every step (the peers read theirs too, so every system synchronises once per step).
import type { BackendName } from '../../src/backend/backend.js';
import { setBackend } from '../../src/backend/select.js';
import { randn, tensor } from '../../src/tensor/creation.js';
import { matmul } from '../../src/tensor/ops/matmul.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { noGrad } from '../../src/tensor/tape.js';
import { mlp } from '../../src/nn/mlp.js';
import { crossEntropy } from '../../src/nn/losses/cross-entropy.js';
import { mseLoss } from '../../src/nn/losses/squared-error.js';
import { SGD } from '../../src/optim/sgd.js';
import { trainStep } from '../../src/train/step.js';
import { smallBatch, type ImageData } from './synthetic.js';
import { describe, measure } from './timing.js';
import type { GemmSpec, TimingSpec, TrainSpec } from './spec.js';

export interface SystemResult {
  figures: Record<string, number>;
  notes: Record<string, string>;
}

/** GFLOP/s of the public matmul (output allocation included, as in the peers' matmul ops). */
function gemm(g: GemmSpec, timing: TimingSpec): { gflops: number; note: string } {
  const a = randn(g.transA ? [g.k, g.m] : [g.m, g.k], { seed: 1 });
  const b = randn(g.transB ? [g.n, g.k] : [g.k, g.n], { seed: 2 });
  const opts = { transA: g.transA, transB: g.transB };
  const m = measure(() => { matmul(a, b, opts); }, timing);
  return { gflops: (2 * g.m * g.n * g.k) / m.seconds / 1e9, note: describe(m, 'call') };
}

/** One SGD step on consecutive minibatches; returns steps/s (the MLP reports samples/s from it). */
function train(spec: TrainSpec, timing: TimingSpec, batchAt: (s: number) => [Tensor, Tensor]): { perSecond: number; note: string; loss: number } {
  const model = mlp(spec.sizes, { activation: spec.activation, seed: 0 });
  const opt = new SGD(model.parameters(), { lr: spec.lr });
  const lossFn = spec.loss === 'crossEntropy' ? crossEntropy : mseLoss;
  let s = 0, loss = NaN;
  const step = (): void => {
    const [x, y] = batchAt(s++);
    loss = trainStep(model, x, y, { loss: lossFn, optimizer: opt }).loss;
  };
  const m = measure(step, timing, { maxCalls: Math.min(spec.steps, timing.maxSteps), sampleSeconds: timing.trainSeconds });
  return { perSecond: 1 / m.seconds, note: describe(m, 'step'), loss };
}

export function runNabla(backend: BackendName, gemms: GemmSpec[], mlpSpec: TrainSpec, smallSpec: TrainSpec, timing: TimingSpec, images: ImageData): SystemResult {
  setBackend(backend);
  const figures: Record<string, number> = {}, notes: Record<string, string> = {};
  noGrad(() => {
    for (const g of gemms) {
      const r = gemm(g, timing);
      figures[g.id] = r.gflops;
      notes[g.id] = r.note;
    }
  });

  // Minibatches are zero-copy views of the data set, walked in order and wrapped at the end.
  const B = mlpSpec.batch, batches = Math.floor(images.n / B);
  const mlpRun = train(mlpSpec, timing, (s) => {
    const start = (s % batches) * B;
    return [
      tensor(images.x.subarray(start * images.d, (start + B) * images.d), { shape: [B, images.d] }),
      tensor(images.y.subarray(start, start + B)),
    ];
  });
  figures[mlpSpec.id] = mlpRun.perSecond * B;
  notes[mlpSpec.id] = `${mlpRun.note}, loss ${mlpRun.loss.toFixed(3)}`;

  const small = smallBatch(smallSpec.batch);
  const sx = tensor(small.x, { shape: [smallSpec.batch, 2] }), sy = tensor(small.y, { shape: [smallSpec.batch, 1] });
  const smallRun = train(smallSpec, timing, () => [sx, sy]);
  figures[smallSpec.id] = smallRun.perSecond;
  notes[smallSpec.id] = `${smallRun.note}, loss ${smallRun.loss.toFixed(4)}`;
  return { figures, notes };
}
