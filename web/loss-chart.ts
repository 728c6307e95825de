// Loss per epoch, train (solid) and test (dashed), on a canvas with a zero-based y axis.
import { BLUE, ORANGE, css } from './colors.js';
import { context2d } from './dom.js';
import type { History } from './trainer.js';

const PAD = { left: 40, right: 8, top: 8, bottom: 18 };

export class LossChart {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = context2d(canvas);
  }

  draw(h: History): void {
    // Drawn at the size it is shown (times the pixel ratio), so that the text stays crisp at any width.
    const ratio = window.devicePixelRatio || 1;
    const cw = Math.round(this.canvas.clientWidth * ratio), ch = Math.round(this.canvas.clientHeight * ratio);
    if (cw > 0 && ch > 0 && (this.canvas.width !== cw || this.canvas.height !== ch)) {
      this.canvas.width = cw;
      this.canvas.height = ch;
    }
    const ctx = this.ctx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const W = this.canvas.width / ratio, H = this.canvas.height / ratio;
    ctx.clearRect(0, 0, W, H);
    const epochs = Math.max(1, h.train.length - 1);
    const top = niceMax(Math.max(...h.train, ...h.test, 1e-3));
    const x = (e: number) => PAD.left + (e / epochs) * (W - PAD.left - PAD.right);
    const y = (v: number) => PAD.top + (1 - Math.min(v, top) / top) * (H - PAD.top - PAD.bottom);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#4b5563';
    ctx.strokeStyle = '#e5e7eb';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = (top * i) / 4;
      ctx.beginPath(); ctx.moveTo(PAD.left, y(v)); ctx.lineTo(W - PAD.right, y(v)); ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(v.toFixed(2), PAD.left - 6, y(v) + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(`epoch ${h.train.length - 1}`, (PAD.left + W - PAD.right) / 2, H - 4);
    this.series(h.test, x, y, css(ORANGE), [5, 4]);
    this.series(h.train, x, y, css(BLUE), []);
    this.legend(W);
  }

  private series(v: number[], x: (e: number) => number, y: (v: number) => number, color: string, dash: number[]): void {
    const ctx = this.ctx;
    ctx.beginPath();
    v.forEach((val, e) => (e === 0 ? ctx.moveTo(x(e), y(val)) : ctx.lineTo(x(e), y(val))));
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.setLineDash([]);
  }

  private legend(W: number): void {
    const ctx = this.ctx;
    ctx.textAlign = 'left';
    [['train', BLUE, []], ['test', ORANGE, [5, 4]]].forEach(([label, col, dash], i) => {
      const lx = W - PAD.right - 110 + i * 56, ly = PAD.top + 8;
      ctx.beginPath(); ctx.moveTo(lx, ly); ctx.lineTo(lx + 18, ly);
      ctx.setLineDash(dash as number[]);
      ctx.strokeStyle = css(col as [number, number, number]);
      ctx.lineWidth = 2; ctx.stroke(); ctx.setLineDash([]);
      ctx.fillStyle = '#374151';
      ctx.fillText(label as string, lx + 22, ly + 4);
    });
  }
}

/** 1, 2 or 5 times a power of ten, at or above v. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
