// A 2-D classifier's decision regions as SVG: the plane cut into a grid of cells, each coloured
// by the predicted class (lighter where the model is less sure), with the data points on top.
import { ConfigError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { escapeXml, px } from '../xml.js';
import { drawAxes, linearScale, PALETTE, svgDocument } from './axes.js';

/** Per point: P(class 1) as a number (binary), or a vector of class probabilities/scores. */
export type Prediction = number | readonly number[] | ArrayLike<number>;
export type PredictFn = (points: number[][]) => readonly Prediction[] | Tensor;

export interface Data2d {
  /** [n, 2] points. */
  x: readonly (readonly number[])[] | Tensor;
  /** Class labels (n), or one-hot rows [n, k]. */
  y: readonly number[] | Tensor;
}

export interface BoundaryPlotOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Cells per side (default 60). */
  resolution?: number;
  /** Extra room around the data, as a fraction of its range (default 0.1). */
  padding?: number;
  /** A number per point means P(class 1) (default) or a class index. */
  mode?: 'probability' | 'class';
}

function rowsOf(x: Data2d['x']): number[][] {
  if (x instanceof Tensor) {
    if (x.ndim !== 2 || x.shape[1] !== 2) throw new ConfigError(`plotDecisionBoundary: points must be [n, 2], got [${x.shape.join(', ')}]`);
    const out: number[][] = [];
    for (let i = 0; i < x.shape[0]; i++) out.push([x.data[2 * i], x.data[2 * i + 1]]);
    return out;
  }
  return x.map((r) => {
    if (r.length !== 2) throw new ConfigError('plotDecisionBoundary: every point needs 2 coordinates');
    return [r[0], r[1]];
  });
}

function labelsOf(y: Data2d['y'], n: number): number[] {
  let out: number[];
  if (y instanceof Tensor && y.ndim === 2) {
    out = [];
    const k = y.shape[1];
    for (let i = 0; i < y.shape[0]; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (y.data[i * k + j] > y.data[i * k + best]) best = j;
      out.push(best);
    }
  } else out = Array.from(y instanceof Tensor ? y.data : y);
  if (out.length !== n) throw new ConfigError(`plotDecisionBoundary: ${out.length} labels for ${n} points`);
  return out;
}

/** [class, confidence in 0..1] for one prediction. */
function classOf(p: Prediction, mode: 'probability' | 'class'): [number, number] {
  if (typeof p === 'number') {
    if (mode === 'class') return [Math.round(p), 1];
    return p >= 0.5 ? [1, 2 * p - 1] : [0, 1 - 2 * p];
  }
  let best = 0, total = 0;
  for (let j = 0; j < p.length; j++) { if (p[j] > p[best]) best = j; total += Math.max(0, p[j]); }
  const k = p.length;
  // Margin of the top class over uniform, scaled to 0..1 (1 = certain).
  const share = total > 0 ? p[best] / total : 1;
  return [best, k > 1 ? Math.max(0, (share - 1 / k) / (1 - 1 / k)) : 1];
}

function predictionsOf(r: readonly Prediction[] | Tensor, count: number): Prediction[] {
  if (!(r instanceof Tensor)) return [...r];
  if (r.ndim <= 1 || (r.ndim === 2 && r.shape[1] === 1)) return Array.from(r.data);
  const k = r.shape[1], out: number[][] = [];
  for (let i = 0; i < count; i++) out.push(Array.from(r.data.subarray(i * k, (i + 1) * k)));
  return out;
}

/** Mix a colour with white: t = 1 full colour, t = 0 white. */
function tint(hex: string, t: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => Math.round(255 - (255 - v) * t).toString(16).padStart(2, '0')).join('')}`;
}

export function plotDecisionBoundary(predict: PredictFn, data: Data2d, opts: BoundaryPlotOptions = {}): string {
  const pts = rowsOf(data.x);
  const labels = labelsOf(data.y, pts.length);
  const W = opts.width ?? 480, H = opts.height ?? 440, res = Math.max(2, Math.round(opts.resolution ?? 60));
  const m = { left: 56, right: 16, top: opts.title ? 34 : 14, bottom: 44 };
  const f = { x: m.left, y: m.top, w: W - m.left - m.right, h: H - m.top - m.bottom };
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const pad = opts.padding ?? 0.1;
  const span = (a: number[]) => (a.length ? Math.max(...a) - Math.min(...a) || 1 : 1);
  const [x0, x1] = xs.length ? [Math.min(...xs) - pad * span(xs), Math.max(...xs) + pad * span(xs)] : [-1, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys) - pad * span(ys), Math.max(...ys) + pad * span(ys)] : [-1, 1];
  const sx = linearScale(x0, x1, f.x, f.x + f.w, false), sy = linearScale(y0, y1, f.y + f.h, f.y, false);
  // Cell centres, row by row from the top, predicted in one batch.
  const grid: number[][] = [];
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) grid.push([x0 + ((c + 0.5) / res) * (x1 - x0), y1 - ((r + 0.5) / res) * (y1 - y0)]);
  }
  const preds = predictionsOf(predict(grid), grid.length);
  if (preds.length !== grid.length) throw new ConfigError(`plotDecisionBoundary: predict returned ${preds.length} results for ${grid.length} points`);
  const cw = f.w / res, ch = f.h / res;
  const cells: string[] = ['<g class="regions" shape-rendering="crispEdges">'];
  preds.forEach((p, i) => {
    const [cls, conf] = classOf(p, opts.mode ?? 'probability');
    const r = Math.floor(i / res), c = i % res;
    // Overlap cells by a hair so no seams show between them.
    cells.push(`<rect x="${px(f.x + c * cw)}" y="${px(f.y + r * ch)}" width="${px(cw + 0.3)}" height="${px(ch + 0.3)}" fill="${tint(PALETTE[cls % PALETTE.length], 0.2 + 0.45 * conf)}"/>`);
  });
  cells.push('</g>');
  const dots = pts.map((p, i) =>
    `<circle cx="${px(sx(p[0]))}" cy="${px(sy(p[1]))}" r="3.5" fill="${PALETTE[labels[i] % PALETTE.length]}" stroke="#111827" stroke-width="0.8"/>`);
  const body = [...cells, drawAxes(f, sx, sy, 'x₁', 'x₂'), '<g class="points">', ...dots, '</g>'];
  if (opts.title) body.unshift(`<text x="${px(W / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(opts.title)}</text>`);
  return svgDocument(W, H, opts.title ?? 'decision boundary', body);
}
