// Training in the browser with nabla itself: an MLP, cross-entropy plus the L2 penalty, and an
// optimizer, run in minibatches. Work is done in time-boxed chunks so the page never freezes.
import { mlp } from '../src/nn/mlp.js';
import type { Sequential } from '../src/nn/sequential.js';
import { crossEntropy } from '../src/nn/losses/cross-entropy.js';
import { l2Penalty } from '../src/nn/regularizers.js';
import { createOptimizer } from '../src/optim/create.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { noGrad } from '../src/autograd/graph.js';
import { add } from '../src/tensor/ops/elementwise.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { Rng } from '../src/random.js';
import { Batcher } from '../src/train/batches.js';
import type { PlaygroundData, Split } from './datasets.js';
import type { Settings } from './settings.js';

export interface History {
  train: number[];
  test: number[];
}

function makeOptimizer(s: Settings, params: Tensor[]): Optimizer {
  return s.optimizer === 'momentum'
    ? createOptimizer('sgd', params, { lr: s.lr, momentum: 0.9 })
    : createOptimizer(s.optimizer, params, { lr: s.lr });
}

export class Trainer {
  readonly model: Sequential;
  readonly history: History = { train: [], test: [] };
  epoch = 0;
  private readonly opt: Optimizer;
  private readonly rng: Rng;
  private readonly batches: Batcher;
  /** The next minibatch of this epoch. */
  private next = 0;

  constructor(readonly data: PlaygroundData, readonly settings: Settings) {
    this.model = mlp([2, ...settings.hidden, data.classes], { activation: settings.activation, seed: settings.seed });
    this.opt = makeOptimizer(settings, this.model.parameters());
    this.rng = new Rng(settings.seed + 7);
    this.batches = new Batcher(data.train.x, data.train.y, settings.batchSize);
    this.batches.shuffle(this.rng);
    this.recordLosses();
  }

  /** J = cross-entropy + λ/2·Σ‖W‖², the notes' regularised objective. */
  objective(split: Split): Tensor {
    const loss = crossEntropy(this.model.forward(split.x), split.y);
    return this.settings.l2 > 0 ? add(loss, l2Penalty(this.model, this.settings.l2)) : loss;
  }

  /** One minibatch: forward, backward, update. Returns true when it finished an epoch. */
  step(): boolean {
    const [x, y] = this.batches.batch(this.next, true);
    this.opt.zeroGrad();
    this.objective({ x, y }).backward();
    this.opt.step();
    if (++this.next < this.batches.numBatches) return false;
    this.next = 0;
    this.batches.shuffle(this.rng);
    this.epoch++;
    this.recordLosses();
    return true;
  }

  /**
   * Minibatches until `ms` have passed or `maxEpochs` epochs ended (at least one step). An epoch
   * may straddle calls, so a slow epoch (batch size 1, a wide net) never blocks a frame.
   */
  runFor(ms: number, maxEpochs: number): void {
    const end = performance.now() + ms;
    let done = 0;
    do {
      if (this.step()) done++;
    } while (done < maxEpochs && performance.now() < end);
  }

  /** Steps until the current epoch ends (the Step button). */
  finishEpoch(): void {
    while (!this.step()) { /* one more minibatch */ }
  }

  get lastLoss(): number {
    return this.history.train[this.history.train.length - 1];
  }

  get lastTestLoss(): number {
    return this.history.test[this.history.test.length - 1];
  }

  private recordLosses(): void {
    noGrad(() => {
      this.history.train.push(this.objective(this.data.train).item());
      this.history.test.push(this.objective(this.data.test).item());
    });
  }
}
