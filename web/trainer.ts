// Training in the browser with nabla's public API: an MLP on the chosen features, the loss of the
// problem (cross-entropy for classes, the lecture notes' half squared error for regression) plus
// the chosen penalty, and an optimizer, run in minibatches. Work is done in time-boxed chunks so
// the page never freezes.
import {
  add, Batcher, createOptimizer, crossEntropy, halfSquaredError, l1Penalty, l2Penalty, mlp, noGrad, Rng,
  type Optimizer, type Sequential, type Tensor,
} from '../src/index.js';
import { featurize } from './features.js';
import type { PlaygroundData, Split } from './datasets.js';
import { lambdaOf, type Settings } from './settings.js';

export interface History {
  train: number[];
  test: number[];
}

function makeOptimizer(s: Settings, params: Tensor[]): Optimizer {
  return s.optimizer === 'momentum'
    ? createOptimizer('sgd', params, { lr: s.lr, momentum: 0.9 })
    : createOptimizer(s.optimizer, params, { lr: s.lr });
}

/** A split with its inputs mapped through the chosen features. */
interface Inputs {
  x: Tensor;
  y: Tensor;
}

export class Trainer {
  readonly model: Sequential;
  readonly history: History = { train: [], test: [] };
  epoch = 0;
  private readonly opt: Optimizer;
  private readonly rng: Rng;
  private readonly batches: Batcher;
  private readonly train: Inputs;
  private readonly test: Inputs;
  /** The next minibatch of this epoch. */
  private next = 0;

  constructor(readonly data: PlaygroundData, readonly settings: Settings) {
    const sizes = [settings.features.length, ...settings.hidden, data.outputs];
    this.model = mlp(sizes, { activation: settings.activation, seed: settings.seed });
    this.opt = makeOptimizer(settings, this.model.parameters());
    this.rng = new Rng(settings.seed + 7);
    this.train = this.inputs(data.train);
    this.test = this.inputs(data.test);
    this.batches = new Batcher(this.train.x, this.train.y, Math.min(settings.batchSize, this.train.x.shape[0]));
    this.batches.shuffle(this.rng);
    this.recordLosses();
  }

  inputs(split: Split): Inputs {
    return { x: featurize(split.x, this.settings.features), y: split.y };
  }

  /** The data loss L of a batch: mean cross-entropy, or 1/(2n)·Σ‖ŷ − t‖². */
  loss(x: Tensor, y: Tensor): Tensor {
    const out = this.model.forward(x);
    return this.data.problem === 'classification' ? crossEntropy(out, y) : halfSquaredError(out, y);
  }

  /** J = L + λ/2·Σ‖W‖²_F (L2) or L + λ·Σ|W| (L1), weights only, as the lecture notes write it. */
  objective(x: Tensor, y: Tensor): Tensor {
    const L = this.loss(x, y), lambda = lambdaOf(this.settings);
    if (lambda === 0) return L;
    const penalty = this.settings.regularization === 'l1' ? l1Penalty(this.model, lambda) : l2Penalty(this.model, lambda);
    return add(L, penalty);
  }

  /** One minibatch: forward, backward, update. Returns true when it finished an epoch. */
  step(): boolean {
    const [x, y] = this.batches.batch(this.next, true);
    this.opt.zeroGrad();
    this.objective(x, y).backward();
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

  /** The loss curve shows the data loss L on each split (the penalty is not a property of the data). */
  private recordLosses(): void {
    noGrad(() => {
      this.history.train.push(this.loss(this.train.x, this.train.y).item());
      this.history.test.push(this.loss(this.test.x, this.test.y).item());
    });
  }
}
