// npm run bench -- --sweep: how a training step's time grows with the network, checked on nabla
// itself against the lecture notes' cost model: linear in the number of layers, quadratic in the
// number of units per layer, and a backward pass costing about twice the forward pass (two
// products per layer, dW = Xᵀ·dZ and dX = dZ·Wᵀ, against one, Z = X·W).
//   depth: 784 → L hidden layers of 256 → 10, L = 1..8: fits t = a + b·L and prints R².
//   width: w → w → w → 10 (input and two hidden layers of w), w = 64..1024: the w² products dominate,
//          so log t against log w has slope → 2 once the fixed per-operation costs are small.
// Batch 128, ReLU, softmax cross-entropy, SGD, random data (time does not depend on the values).
// Prints tables and one JSON line (the last).
import { cpus, loadavg } from 'node:os';
import type { BackendName } from '../src/backend/backend.js';
import { setBackend } from '../src/backend/select.js';
import { tensor } from '../src/tensor/creation.js';
import { mlp } from '../src/nn/mlp.js';
import { crossEntropy } from '../src/nn/losses/cross-entropy.js';
import { SGD } from '../src/optim/sgd.js';
import { pseudoRandom } from './workloads/synthetic.js';
import { median } from './workloads/timing.js';
import { log, table } from './report.js';

const BATCH = 128;
const DEPTHS = [1, 2, 3, 4, 5, 6, 7, 8];
const WIDTHS = [64, 128, 256, 512, 1024];

export interface SweepOptions {
  quick: boolean;
  /** Timed samples per network (default 5; the median is kept). */
  reps?: number;
  /** Why a backend could not load (printed as skipped). */
  problems: string[];
}

/** Median milliseconds per step and per phase of the step. */
export interface StepTimes {
  sizes: number[];
  stepMs: number;
  forwardMs: number;
  backwardMs: number;
  updateMs: number;
  /** backward / forward of the medians. */
  backwardOverForward: number;
  stepsPerSample: number;
}

const now = (): number => performance.now();

/** One network under test: its step, timing forward (+ loss), backward and the update separately. */
class Network {
  readonly samples: number[][] = [];
  private readonly phase = [0, 0, 0];
  private readonly step: () => void;
  steps = 2;

  constructor(readonly sizes: number[]) {
    const d = sizes[0];
    const x = tensor(pseudoRandom(BATCH * d, 3), { shape: [BATCH, d] });
    const y = tensor(pseudoRandom(BATCH, 7).map((v) => Math.floor(v * sizes[sizes.length - 1])));
    const model = mlp(sizes, { activation: 'relu', seed: 0 });
    const opt = new SGD(model.parameters(), { lr: 0.01 });
    const phase = this.phase;
    this.step = () => {
      const t0 = now();
      const loss = crossEntropy(model.forward(x), y);
      const t1 = now();
      loss.backward();
      loss.item(); // the loss read back, as every training loop in the bench does
      const t2 = now();
      opt.step();
      opt.zeroGrad();
      const t3 = now();
      phase[0] += t1 - t0; phase[1] += t2 - t1; phase[2] += t3 - t2;
    };
  }

  /** At least 3 steps and half a sample's time; sets the steps per sample. */
  warmUp(sampleMs: number): void {
    const w0 = now();
    let warm = 0;
    while (warm < 3 || now() - w0 < sampleMs / 2) { this.step(); warm++; }
    this.steps = Math.max(2, Math.ceil(sampleMs / ((now() - w0) / warm)));
  }

  sample(): void {
    this.phase.fill(0);
    for (let i = 0; i < this.steps; i++) this.step();
    this.samples.push(this.phase.map((p) => p / this.steps));
  }

  times(): StepTimes {
    const [forwardMs, backwardMs, updateMs] = [0, 1, 2].map((k) => median(this.samples.map((s) => s[k])));
    return {
      sizes: this.sizes, stepMs: median(this.samples.map((s) => s[0] + s[1] + s[2])), forwardMs, backwardMs, updateMs,
      backwardOverForward: backwardMs / forwardMs, stepsPerSample: this.steps,
    };
  }
}

/**
 * Times every network, the samples taken round-robin (network 1, 2, ..., then again) so that a
 * change in the machine's load spreads over all of them instead of bending the curve.
 */
function timeAll(sizes: number[][], reps: number, sampleMs: number): StepTimes[] {
  const nets = sizes.map((s) => new Network(s));
  for (const n of nets) n.warmUp(sampleMs);
  for (let r = 0; r < reps; r++) for (const n of nets) n.sample();
  return nets.map((n) => n.times());
}

/** Least-squares line y = a + b·x and its R². */
export function linearFit(xs: number[], ys: number[]): { a: number; b: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n, my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const b = sxy / sxx, a = my - b * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) ssRes += (ys[i] - (a + b * xs[i])) ** 2;
  return { a, b, r2: syy === 0 ? 1 : 1 - ssRes / syy };
}

const ms = (v: number): string => (v >= 10 ? v.toFixed(1) : v.toFixed(3));

function rows(label: (t: StepTimes) => string, ts: StepTimes[]): string[][] {
  return ts.map((t) => [label(t), t.sizes.join('-'), ms(t.stepMs), ms(t.forwardMs), ms(t.backwardMs), ms(t.updateMs), t.backwardOverForward.toFixed(2)]);
}

export async function runSweep(backends: BackendName[], opts: SweepOptions): Promise<void> {
  const reps = opts.quick ? 1 : (opts.reps ?? 5);
  const sampleMs = opts.quick ? 1 : 200;
  const depths = opts.quick ? [1, 2] : DEPTHS;
  const widths = opts.quick ? [64, 128] : WIDTHS;
  const results: Record<string, unknown> = {};
  console.log(`\nnabla cost-growth sweep${opts.quick ? ' (--quick: smoke run, figures mean nothing)' : ''}: batch ${BATCH}, ReLU, softmax cross-entropy, SGD; ` +
    `median of ${reps} sample(s) of ~${sampleMs} ms per network; ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg()[0].toFixed(2)}, Node ${process.versions.node}`);
  for (const b of backends) {
    setBackend(b);
    log(`sweep on nabla ${b}: ${depths.length + widths.length} networks`);
    const times = timeAll([...depths.map((L) => [784, ...Array<number>(L).fill(256), 10]), ...widths.map((w) => [w, w, w, 10])], reps, sampleMs);
    const depth = times.slice(0, depths.length), width = times.slice(depths.length);

    const lin = linearFit(depths, depth.map((t) => t.stepMs));
    const slope = linearFit(widths.map(Math.log), width.map((t) => Math.log(t.stepMs)));
    const upper = widths.length >= 3 ? linearFit(widths.slice(-3).map(Math.log), width.slice(-3).map((t) => Math.log(t.stepMs))) : slope;
    const all = [...depth, ...width];
    const bwdFwd = median(all.map((t) => t.backwardOverForward));
    const bwdFwdBig = width[width.length - 1].backwardOverForward;

    const header = ['', 'sizes', 'step ms', 'forward ms', 'backward ms', 'update ms', 'bwd/fwd'];
    console.log(`\nnabla ${b}: depth (hidden layers of 256)\n`);
    console.log(table(['layers', ...header.slice(1)], rows((t) => String(t.sizes.length - 2), depth)));
    console.log(`\nnabla ${b}: width (input and two hidden layers of w units)\n`);
    console.log(table(['w', ...header.slice(1)], rows((t) => String(t.sizes[0]), width)));
    console.log(`\nnabla ${b}, against the lecture notes' cost model:`);
    console.log(`  linear in layers:   step ms = ${lin.a.toFixed(3)} + ${lin.b.toFixed(3)} x layers, R² = ${lin.r2.toFixed(4)} (1 = exactly linear)`);
    console.log(`  quadratic in units: log-log slope of step time over w = ${widths[0]}..${widths[widths.length - 1]}: ${slope.b.toFixed(2)}; ` +
      `over w = ${widths.slice(-3).join(', ')}: ${upper.b.toFixed(2)} (2 = quadratic; small widths pay fixed per-operation costs)`);
    console.log(`  backward / forward: median ${bwdFwd.toFixed(2)} over all ${all.length} networks; ${bwdFwdBig.toFixed(2)} at w = ${widths[widths.length - 1]} (the notes: about 2)`);
    results[`nabla ${b}`] = {
      depth, width,
      fit: {
        depthInterceptMs: lin.a, depthMsPerLayer: lin.b, depthLinearR2: lin.r2,
        widthLogLogSlope: slope.b, widthLogLogSlopeUpper: upper.b, widthsUpper: widths.slice(-3),
        backwardOverForwardMedian: bwdFwd, backwardOverForwardWidest: bwdFwdBig,
      },
    };
  }
  for (const p of opts.problems) console.log(`skipped: ${p}`);
  console.log(JSON.stringify({
    bench: 'nabla', sweep: true, quick: opts.quick,
    env: { runtime: `Node ${process.versions.node}`, node: process.versions.node, cpu: cpus()[0]?.model ?? null, cores: cpus().length, load1: loadavg()[0] },
    batch: BATCH, reps, sampleMs, results, skipped: opts.problems,
  }));
}
