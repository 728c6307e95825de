// One small heat map per hidden unit: its output over the same grid as the decision boundary,
// so one can see which feature of the plane each unit has learned to detect.
import { diverging } from './colors.js';
import { context2d, el } from './dom.js';
import type { Probe } from './probe.js';

export class HiddenUnitsView {
  private canvases: CanvasRenderingContext2D[][] = [];
  /** Grid-sized scratch canvas: putImageData ignores scaling, drawImage from here does not. */
  private readonly cells = document.createElement('canvas');

  constructor(readonly root: HTMLElement) {}

  /** Rebuild the rows of canvases for a new architecture. */
  setLayers(widths: number[], activation: string): void {
    this.root.replaceChildren();
    if (widths.length === 0) this.root.append(el('p', 'hint', 'No hidden layers: the model is a linear classifier.'));
    this.canvases = widths.map((w, l) => {
      const row = el('div', 'unit-row');
      row.append(el('div', 'unit-row-label', `layer ${l + 1} · ${w} ${activation} units`));
      const maps = el('div', 'unit-maps');
      const ctxs = Array.from({ length: w }, (_, u) => {
        const c = el('canvas', 'unit-map');
        c.width = 48; c.height = 48;
        c.title = `layer ${l + 1}, unit ${u + 1}`;
        c.id = `unit-${l + 1}-${u + 1}`;
        maps.append(c);
        return context2d(c);
      });
      row.append(maps);
      this.root.append(row);
      return ctxs;
    });
  }

  draw(p: Probe): void {
    p.hidden.forEach((h, l) => {
      const width = h.shape[1], n = p.size, d = h.data;
      for (let u = 0; u < width; u++) {
        const ctx = this.canvases[l]?.[u];
        if (!ctx) continue;
        // Scale each unit by its own largest |output| so that small units are still readable.
        let m = 1e-6;
        for (let i = 0; i < n * n; i++) m = Math.max(m, Math.abs(d[i * width + u]));
        const img = ctx.createImageData(n, n);
        const px = img.data;
        for (let i = 0; i < n * n; i++) {
          const [r, g, b] = diverging(d[i * width + u] / m);
          px[4 * i] = r; px[4 * i + 1] = g; px[4 * i + 2] = b; px[4 * i + 3] = 255;
        }
        this.cells.width = n; this.cells.height = n;
        context2d(this.cells).putImageData(img, 0, 0);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(this.cells, 0, 0, ctx.canvas.width, ctx.canvas.height);
      }
    });
  }
}
