// The decision boundary: each grid cell tinted by the class probabilities (stronger where the
// network is surer), the data points on top (train filled, test hollow).
import { classColor, css, tint, type Rgb } from './colors.js';
import { context2d } from './dom.js';
import type { PlaygroundData, Split } from './datasets.js';
import type { Probe } from './probe.js';

export class BoundaryView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cells = document.createElement('canvas');

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = context2d(canvas);
  }

  /** Canvas pixel of a data point. */
  toPixel(bounds: PlaygroundData['bounds'], x: number, y: number): [number, number] {
    const { width, height } = this.canvas;
    return [((x - bounds.x0) / (bounds.x1 - bounds.x0)) * width, ((bounds.y1 - y) / (bounds.y1 - bounds.y0)) * height];
  }

  draw(data: PlaygroundData, p: Probe, selected: number | null): void {
    this.drawCells(p, data.classes);
    const ctx = this.ctx;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.cells, 0, 0, this.canvas.width, this.canvas.height);
    this.drawPoints(data, data.train, true);
    this.drawPoints(data, data.test, false);
    if (selected !== null) {
      const [px, py] = this.toPixel(data.bounds, data.train.x.data[2 * selected], data.train.x.data[2 * selected + 1]);
      ctx.beginPath();
      ctx.arc(px, py, 9, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#111827';
      ctx.stroke();
    }
  }

  /** The index of the training point nearest to a click, within 12 px. */
  pick(data: PlaygroundData, clientX: number, clientY: number): number | null {
    const r = this.canvas.getBoundingClientRect();
    const cx = ((clientX - r.left) / r.width) * this.canvas.width, cy = ((clientY - r.top) / r.height) * this.canvas.height;
    let best: number | null = null, bestD = 12 * 12;
    for (let i = 0; i < data.train.x.shape[0]; i++) {
      const [px, py] = this.toPixel(data.bounds, data.train.x.data[2 * i], data.train.x.data[2 * i + 1]);
      const d = (px - cx) ** 2 + (py - cy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  private drawCells(p: Probe, k: number): void {
    const n = p.size;
    this.cells.width = n;
    this.cells.height = n;
    const cctx = context2d(this.cells);
    const img = cctx.createImageData(n, n);
    const probs = p.probs.data;
    for (let i = 0; i < n * n; i++) {
      let best = 0;
      const mix: Rgb = [0, 0, 0];
      for (let c = 0; c < k; c++) {
        const q = probs[i * k + c];
        if (q > probs[i * k + best]) best = c;
        const col = classColor(c);
        mix[0] += q * col[0]; mix[1] += q * col[1]; mix[2] += q * col[2];
      }
      // Confidence above chance, 0..1: white where the network cannot tell the classes apart.
      const conf = (probs[i * k + best] - 1 / k) / (1 - 1 / k);
      const [r, g, b] = tint(mix, 0.12 + 0.33 * conf);
      img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
    }
    cctx.putImageData(img, 0, 0);
  }

  private drawPoints(data: PlaygroundData, s: Split, filled: boolean): void {
    const ctx = this.ctx;
    for (let i = 0; i < s.x.shape[0]; i++) {
      const [px, py] = this.toPixel(data.bounds, s.x.data[2 * i], s.x.data[2 * i + 1]);
      const col = classColor(s.y.data[i]);
      ctx.beginPath();
      ctx.arc(px, py, 4, 0, 2 * Math.PI);
      ctx.lineWidth = filled ? 1 : 2;
      if (filled) {
        ctx.fillStyle = css(col);
        ctx.fill();
        ctx.strokeStyle = '#ffffff';
      } else {
        ctx.strokeStyle = css(col);
      }
      ctx.stroke();
    }
  }
}
