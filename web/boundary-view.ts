// The output over the plane: for classification p(class 1) − p(class 0) (stronger where the
// network is surer), for regression the prediction; optionally discretized to its sign. Data
// points on top: training rows filled, test rows (when shown) with a dark ring.
import { css, diverging, targetValue } from './colors.js';
import { context2d } from './dom.js';
import { pointOf, type PlaygroundData, type Split } from './datasets.js';
import { paintHeatmap } from './heatmap.js';
import type { Probe } from './probe.js';

export interface BoundaryOptions {
  showTest: boolean;
  discretize: boolean;
  selected: number | null;
}

/** The signed output of one grid row: p₁ − p₀ for two classes, the prediction for regression. */
export function signedOutput(probe: Probe, i: number): number {
  const k = probe.output.shape[1], d = probe.output.data;
  return k === 1 ? d[i] : d[i * k + 1] - d[i * k];
}

export class BoundaryView {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = context2d(canvas);
  }

  toPixel(bounds: PlaygroundData['bounds'], [x, y]: [number, number]): [number, number] {
    const { width, height } = this.canvas;
    return [((x - bounds.x0) / (bounds.x1 - bounds.x0)) * width, ((bounds.y1 - y) / (bounds.y1 - bounds.y0)) * height];
  }

  draw(data: PlaygroundData, p: Probe, o: BoundaryOptions): void {
    const n = p.size * p.size;
    const signed = new Float32Array(n);
    for (let i = 0; i < n; i++) signed[i] = signedOutput(p, i);
    const grid = { shape: [n, 1], data: signed } as unknown as Probe['output'];
    paintHeatmap(this.ctx, grid, 0, p.size, (v) => (o.discretize ? Math.sign(v) * 0.55 : 0.55 * Math.max(-1, Math.min(1, v))));
    const classification = data.problem === 'classification';
    this.drawPoints(data, data.train, classification, false);
    if (o.showTest) this.drawPoints(data, data.test, classification, true);
    if (o.selected !== null && o.selected < data.train.x.shape[0]) {
      const [px, py] = this.toPixel(data.bounds, pointOf(data.train, o.selected));
      const ctx = this.ctx;
      ctx.beginPath();
      ctx.arc(px, py, 10, 0, 2 * Math.PI);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#111827';
      ctx.stroke();
    }
  }

  /** The index of the training point nearest to a click, within 12 canvas pixels. */
  pick(data: PlaygroundData, clientX: number, clientY: number): number | null {
    const r = this.canvas.getBoundingClientRect();
    const cx = ((clientX - r.left) / r.width) * this.canvas.width, cy = ((clientY - r.top) / r.height) * this.canvas.height;
    let best: number | null = null, bestD = 12 * 12;
    for (let i = 0; i < data.train.x.shape[0]; i++) {
      const [px, py] = this.toPixel(data.bounds, pointOf(data.train, i));
      const d = (px - cx) ** 2 + (py - cy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  private drawPoints(data: PlaygroundData, s: Split, classification: boolean, test: boolean): void {
    const ctx = this.ctx;
    const k = s.y.shape.length > 1 ? s.y.shape[1] : 1;
    for (let i = 0; i < s.x.shape[0]; i++) {
      const [px, py] = this.toPixel(data.bounds, pointOf(s, i));
      ctx.beginPath();
      ctx.arc(px, py, 4.5, 0, 2 * Math.PI);
      ctx.fillStyle = css(diverging(targetValue(s.y.data[i * k], classification)));
      ctx.fill();
      ctx.lineWidth = test ? 2 : 1;
      ctx.strokeStyle = test ? '#111827' : '#ffffff';
      ctx.stroke();
    }
  }
}
