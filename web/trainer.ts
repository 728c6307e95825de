// Training in the browser with nabla itself: an MLP, cross-entropy plus the L2 penalty, and an
// optimizer, run in minibatches. Work is done in time-boxed chunks so the page never freezes.
import { mlp } from '../src/nn/mlp.js';
import type { Sequential } from '../src/nn/sequential.js';
import { crossEntropy } from '../src/nn/losses/cross-entropy.js';
import { l2Penalty } from '../src/nn/regularizers.js';
import { Adam } from '../src/optim/adam.js';
import { SGD } from '../src/optim/sgd.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { noGrad } from '../src/autograd/graph.js';
import { add } from '../src/tensor/ops/elementwise.js';
import { indexSelect } from '../src/tensor/ops/movement.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Rng } from '../src/random.js';
import type { PlaygroundData, Split } from './datasets.js';
import type { Settings } from './settings.js';

export interface History {
  train: number[];
  test: number[];
}

function makeOptimizer(s: Settings, params: Tensor[]): Optimizer {
  switch (s.optimizer) {
    case 'adam': return new Adam(params, { lr: s.lr });
    case 'momentum': return new SGD(params, { lr: s.lr, momentum: 0.9 });
    case 'sgd': return new SGD(params, { lr: s.lr });
  }
}

export class Trainer {
  readonly model: Sequential;
  readonly history: History = { train: [], test: [] };
  epoch = 0;
  /** Minibatch updates done so far. */
  steps = 0;
  private readonly opt: Optimizer;
  private readonly rng: Rng;
  private order: Int32Array;
  private cursor = 0;

  constructor(readonly data: PlaygroundData, readonly settings: Settings) {
    this.model = mlp([2, ...settings.hidden, data.classes], { activation: settings.activation, seed: settings.seed });
    this.opt = makeOptimizer(settings, this.model.parameters());
    this.rng = new Rng(settings.seed + 7);
    this.order = this.rng.permutation(data.train.x.shape[0]);
    this.recordLosses();
  }

  /** J = cross-entropy + λ/2·Σ‖W‖², the seeds' regularised objective. */
  objective(split: Split): Tensor {
    const loss = crossEntropy(this.model.forward(split.x), split.y);
    return this.settings.l2 > 0 ? add(loss, l2Penalty(this.model, this.settings.l2)) : loss;
  }

  /** One minibatch: forward, backward, update. Returns true when it finished an epoch. */
  step(): boolean {
    const n = this.order.length, b = Math.min(this.settings.batchSize, n);
    const idx = Array.from(this.order.subarray(this.cursor, Math.min(this.cursor + b, n)));
    const batch = { x: indexSelect(this.data.train.x, 0, idx), y: indexSelect(this.data.train.y, 0, idx) };
    this.opt.zeroGrad();
    this.objective(batch).backward();
    this.opt.step();
    this.steps++;
    this.cursor += idx.length;
    if (this.cursor < n) return false;
    this.cursor = 0;
    this.order = this.rng.permutation(n);
    this.epoch++;
    this.recordLosses();
    return true;
  }

  /**
   * Minibatches until `ms` have passed or `maxEpochs` epochs ended (at least one step). An epoch
   * may straddle calls, so a slow epoch (batch size 1, a wide net) never blocks a frame.
   * Returns the number of epochs finished.
   */
  runFor(ms: number, maxEpochs = Infinity): number {
    const end = performance.now() + ms;
    let done = 0;
    do {
      if (this.step()) done++;
    } while (done < maxEpochs && performance.now() < end);
    return done;
  }

  /** Steps until the current epoch ends (the Step button). */
  finishEpoch(): void {
    while (!this.step()) { /* one more minibatch */ }
  }

  get lastLoss(): number {
    return this.history.train[this.history.train.length - 1];
  }

  private recordLosses(): void {
    noGrad(() => {
      this.history.train.push(this.objective(this.data.train).item());
      this.history.test.push(this.objective(this.data.test).item());
    });
  }
}
