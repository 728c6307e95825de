// The notes' translation task, which does not live in the plane: 16-pixel patterns A and B in all
// 16 cyclic shifts. Shown as strips, with nabla's own measurement: a linear model and a one-hidden-
// layer MLP trained on the 32 patterns in the page. Both classes average 0.25 on every pixel, so no
// linear model gets all 32 right; the MLP does.
import { Adam, argmax, crossEntropy, mlp, noGrad, patternAB, type Dataset, type Sequential } from '../src/index.js';
import { BLUE, ORANGE, css } from './colors.js';
import { context2d } from './dom.js';

export interface PatternResult {
  linear: number;
  mlp: number;
  rows: number;
  /** Per-pixel means of class A and of class B. */
  means: [number[], number[]];
}

function train(ds: Dataset, hidden: number[], seed: number): { model: Sequential; right: number } {
  const model = mlp([16, ...hidden, 2], { activation: 'tanh', seed });
  const opt = new Adam(model.parameters(), { lr: 0.05 });
  for (let epoch = 0; epoch < 400; epoch++) {
    opt.zeroGrad();
    crossEntropy(model.forward(ds.x), ds.y).backward();
    opt.step();
  }
  const pred = noGrad(() => argmax(model.forward(ds.x), 1));
  let right = 0;
  for (let i = 0; i < ds.y.shape[0]; i++) if (pred.data[i] === ds.y.data[i]) right++;
  return { model, right };
}

export function runPatternAB(seed: number): PatternResult & { data: Dataset; predictions: number[][] } {
  const ds = patternAB();
  const lin = train(ds, [], seed), net = train(ds, [8], seed);
  const means: [number[], number[]] = [new Array(16).fill(0), new Array(16).fill(0)];
  const counts = [0, 0];
  for (let r = 0; r < ds.y.shape[0]; r++) {
    const c = ds.y.data[r];
    counts[c]++;
    for (let p = 0; p < 16; p++) means[c][p] += ds.x.data[r * 16 + p];
  }
  means.forEach((m, c) => m.forEach((_, p) => { m[p] /= counts[c]; }));
  const predictions = [lin.model, net.model].map((m) => Array.from(noGrad(() => argmax(m.forward(ds.x), 1)).data));
  return { linear: lin.right, mlp: net.right, rows: ds.y.shape[0], means, data: ds, predictions };
}

/** Strips of A (left) and B (right), one row per shift, with each model's answer beside it. */
export function drawPatterns(canvas: HTMLCanvasElement, r: ReturnType<typeof runPatternAB>): void {
  const ctx = context2d(canvas), px = 6, rowH = 7, half = 16 * px + 40;
  canvas.width = 2 * half;
  canvas.height = 16 * rowH + 16;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#374151';
  ctx.fillText('A   · linear, MLP', 0, 10);
  ctx.fillText('B   · linear, MLP', half, 10);
  for (let row = 0; row < r.rows; row++) {
    const cls = r.data.y.data[row], x0 = cls * half, y0 = 14 + (row % 16) * rowH;
    for (let p = 0; p < 16; p++) {
      ctx.fillStyle = r.data.x.data[row * 16 + p] > 0 ? '#111827' : '#e5e7eb';
      ctx.fillRect(x0 + p * px, y0, px - 1, rowH - 1);
    }
    r.predictions.forEach((pred, m) => {
      ctx.fillStyle = css(pred[row] === 0 ? BLUE : ORANGE);
      ctx.fillRect(x0 + 16 * px + 6 + m * 12, y0, 9, rowH - 1);
      if (pred[row] !== cls) {
        ctx.strokeStyle = '#dc2626';
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x0 + 16 * px + 5 + m * 12, y0 - 1, 11, rowH + 1);
      }
    });
  }
}
