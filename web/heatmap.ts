// Paint one column of a [size², k] grid tensor onto a canvas, scaled by the canvas (drawImage
// smooths; putImageData would not scale).
import { diverging } from './colors.js';
import { context2d } from './dom.js';
import type { Tensor } from '../src/index.js';

const scratch = document.createElement('canvas');

/** `value(v)` maps a grid value to [-1, 1] for the diverging colour map. */
export function paintHeatmap(ctx: CanvasRenderingContext2D, grid: Tensor, col: number, size: number, value: (v: number) => number): void {
  const k = grid.shape[1], d = grid.data;
  scratch.width = size; scratch.height = size;
  const sctx = context2d(scratch);
  const img = sctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = diverging(value(d[i * k + col]));
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

/** Largest |value| in a column (at least a tiny floor, so a dead unit is white, not NaN). */
export function columnScale(grid: Tensor, col: number): number {
  const k = grid.shape[1], d = grid.data, n = grid.shape[0];
  let m = 1e-6;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(d[i * k + col]));
  return m;
}
