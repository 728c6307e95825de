// backward-cost: CSC413's computational cost. Forward: one multiply-add per weight; backward:
// two (∂W = Hᵀ·∂Z and ∂H = ∂Z·Wᵀ), so "the backward pass is about as expensive as two forward
// passes", and an MLP's cost is linear in the number of layers and quadratic in the units per
// layer. Measured by counting the FLOPs of every gemm the kernels run (layer 1's input needs no
// gradient, so the exact ratio is (2L − 1)/L, approaching 2); timings are reported, not judged.
import { mlp } from '../nn/mlp.js';
import { randn } from '../tensor/creation.js';
import { mul, square, sum } from '../tensor/index.js';
import { slope, verdict } from './common.js';
import { countGemmFlops } from './counting.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

const BATCH = 32, DEPTHS = [2, 4, 8, 16], WIDTHS = [16, 32, 64, 128], BASE_WIDTH = 32, BASE_DEPTH = 4;

interface Cost { depth: number; width: number; forward: number; backward: number; forwardMs: number; backwardMs: number }

function measure(depth: number, width: number): Cost {
  const net = mlp(new Array<number>(depth + 1).fill(width), { activation: 'relu', seed: 0 });
  const x = randn([BATCH, width], { seed: 1 });
  const run = () => {
    let t0 = performance.now();
    const f = countGemmFlops(() => mul(sum(square(net.forward(x))), 0.5));
    const forwardMs = performance.now() - t0;
    t0 = performance.now();
    const b = countGemmFlops(() => f.result.backward());
    return { forward: f.flops, backward: b.flops, forwardMs, backwardMs: performance.now() - t0 };
  };
  run(); // warm-up, not counted
  const runs = [run(), run(), run()];
  const median = (k: 'forwardMs' | 'backwardMs') => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
  return { depth, width, forward: runs[0].forward, backward: runs[0].backward, forwardMs: median('forwardMs'), backwardMs: median('backwardMs') };
}

export const backwardCostLesson: Lesson = {
  name: 'backward-cost',
  source: 'CSC413 lecture 2: computational cost of the forward and backward pass',
  claim: 'The backward pass costs about two forward passes, and an MLP\'s cost is linear in its depth and quadratic in its width.',
  async run() {
    const byDepth = DEPTHS.map((d) => measure(d, BASE_WIDTH));
    const byWidth = WIDTHS.map((w) => measure(BASE_DEPTH, w));
    const deepest = byDepth[byDepth.length - 1];
    const ratio = deepest.backward / deepest.forward;
    const exactRatio = byDepth.every((c) => c.backward * c.depth === c.forward * (2 * c.depth - 1));
    const total = (c: Cost) => c.forward + c.backward;
    const depthSlope = slope(byDepth.map((c) => Math.log(c.depth)), byDepth.map((c) => Math.log(total(c))));
    const widthSlope = slope(byWidth.map((c) => Math.log(c.width)), byWidth.map((c) => Math.log(total(c))));
    const timeRatio = deepest.backwardMs / deepest.forwardMs;
    const timeDepthSlope = slope(byDepth.map((c) => Math.log(c.depth)), byDepth.map((c) => Math.log(c.forwardMs + c.backwardMs)));
    const timeWidthSlope = slope(byWidth.map((c) => Math.log(c.width)), byWidth.map((c) => Math.log(c.forwardMs + c.backwardMs)));
    // Stated tolerances: the FLOP ratio within 0.15 of 2 at depth 16; fitted log-log slopes within 0.1 of 1 and 2.
    const holds = exactRatio && Math.abs(ratio - 2) <= 0.15 && Math.abs(depthSlope - 1) <= 0.1 && Math.abs(widthSlope - 2) <= 0.1;
    const measurement = [
      `counted gemm FLOPs, batch ${BATCH}, width ${BASE_WIDTH}, depth ${deepest.depth}: forward ${deepest.forward}, backward ${deepest.backward}, ratio ${ratio.toFixed(3)} (exactly (2L − 1)/L at every depth: ${exactRatio})`,
      `log-log slope of FLOPs (forward + backward) against depth ${DEPTHS.join(', ')}: ${depthSlope.toFixed(3)} (linear: 1)`,
      `log-log slope against width ${WIDTHS.join(', ')} at depth ${BASE_DEPTH}: ${widthSlope.toFixed(3)} (quadratic: 2)`,
      `timings (reported, not judged; a busy machine skews them): backward/forward ${timeRatio.toFixed(2)}, time slopes ${timeDepthSlope.toFixed(2)} (depth), ${timeWidthSlope.toFixed(2)} (width)`,
    ];
    const lg = (v: number) => Math.log10(v);
    const svg = figure('The cost of backprop: ×2 the forward pass, linear in depth, quadratic in width', [
      { title: 'FLOPs against depth (width 32)', xTitle: 'log₁₀ depth', yTitle: 'log₁₀ FLOPs', series: [
        { x: byDepth.map((c) => lg(c.depth)), y: byDepth.map((c) => lg(c.forward)), label: 'forward' },
        { x: byDepth.map((c) => lg(c.depth)), y: byDepth.map((c) => lg(c.backward)), label: 'backward' },
      ] },
      { title: 'FLOPs against width (depth 4)', xTitle: 'log₁₀ width', yTitle: 'log₁₀ FLOPs', series: [
        { x: byWidth.map((c) => lg(c.width)), y: byWidth.map((c) => lg(c.forward)), label: 'forward' },
        { x: byWidth.map((c) => lg(c.width)), y: byWidth.map((c) => lg(c.backward)), label: 'backward' },
      ] },
      { title: 'measured time (reported only)', xTitle: 'log₁₀ width', yTitle: 'log₁₀ ms', series: [
        { x: byWidth.map((c) => lg(c.width)), y: byWidth.map((c) => lg(c.forwardMs)), label: 'forward' },
        { x: byWidth.map((c) => lg(c.width)), y: byWidth.map((c) => lg(c.backwardMs)), label: 'backward' },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return {
      lesson: this.name, claim: this.claim, holds, svg, measurement,
      figures: { batch: BATCH, flop_ratio: ratio, depth_slope: depthSlope, width_slope: widthSlope, by_depth: byDepth, by_width: byWidth, time_ratio: timeRatio, time_depth_slope: timeDepthSlope, time_width_slope: timeWidthSlope },
    };
  },
};
