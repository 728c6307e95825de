// Training history as SVG: one panel per quantity (loss first, then each metric), epochs on the
// x axis, the training curve solid and the validation curve (val_*) dashed.
import { ConfigError } from '../../errors.js';
import { escapeXml, px } from '../xml.js';
import { drawAxes, linearScale, PALETTE, svgDocument } from './axes.js';

export interface History {
  loss: number[];
  val_loss?: number[];
  [metric: string]: number[] | undefined;
}

export interface HistoryPlotOptions {
  title?: string;
  /** Width of one panel in pixels (default 420). */
  panelWidth?: number;
  /** Height of one panel (default 260). */
  panelHeight?: number;
  /** Log scale for the loss panel (default false). */
  logLoss?: boolean;
}

function polyline(xs: number[], ys: number[], color: string, dashed: boolean): string {
  const pts: string[] = [];
  xs.forEach((x, i) => { if (Number.isFinite(ys[i])) pts.push(`${px(x)},${px(ys[i])}`); });
  const dots = pts.length <= 60 ? pts.map((p) => { const [x, y] = p.split(','); return `<circle cx="${x}" cy="${y}" r="2" fill="${color}"/>`; }).join('') : '';
  return `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}`;
}

/** The metrics to draw, loss first: each with its validation counterpart if present. */
function panelsOf(h: History): { name: string; train?: number[]; val?: number[] }[] {
  const names: string[] = ['loss'];
  for (const k of Object.keys(h)) {
    const base = k.startsWith('val_') ? k.slice(4) : k;
    const v = h[k];
    // 'epoch' is the x axis, not a metric; a constant series (an unscheduled lr) says nothing.
    if (base === 'epoch' || !Array.isArray(v) || (base === 'lr' && v.every((x) => x === v[0]))) continue;
    if (!names.includes(base)) names.push(base);
  }
  return names.map((name) => ({ name, train: h[name], val: h[`val_${name}`] }));
}

export function plotHistory(history: History, opts: HistoryPlotOptions = {}): string {
  if (!history || !Array.isArray(history.loss)) throw new ConfigError('plotHistory: history.loss must be an array of numbers (one per epoch)');
  const W = opts.panelWidth ?? 420, H = opts.panelHeight ?? 260;
  const m = { left: 60, right: 16, top: 30, bottom: 44 };
  const panels = panelsOf(history);
  const titleH = opts.title ? 26 : 0;
  const body: string[] = [];
  if (opts.title) body.push(`<text x="${px((W * panels.length) / 2)}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(opts.title)}</text>`);
  panels.forEach((p, i) => {
    const f = { x: i * W + m.left, y: titleH + m.top, w: W - m.left - m.right, h: H - m.top - m.bottom };
    const series = [p.train, p.val].filter((s): s is number[] => !!s);
    const epochs = Math.max(1, ...series.map((s) => s.length));
    const log = opts.logLoss && p.name === 'loss';
    const tf = (v: number) => (log ? Math.log10(Math.max(v, 1e-12)) : v);
    const vals = series.flat().filter(Number.isFinite).map(tf);
    const sx = linearScale(1, Math.max(2, epochs), f.x, f.x + f.w, false, Math.min(epochs, 6));
    const sy = linearScale(vals.length ? Math.min(...vals) : 0, vals.length ? Math.max(...vals) : 1, f.y + f.h, f.y);
    body.push(`<g class="panel" id="panel-${escapeXml(p.name)}">`);
    body.push(`<text x="${px(f.x + f.w / 2)}" y="${px(f.y - 10)}" text-anchor="middle" font-size="12" font-weight="bold">${escapeXml(p.name)}${log ? ' (log₁₀)' : ''}</text>`);
    body.push(drawAxes(f, sx, sy, 'epoch', log ? `log₁₀ ${p.name}` : p.name, (v) => String(Math.round(v))));
    const color = PALETTE[i % PALETTE.length];
    if (p.train) body.push(polyline(p.train.map((_, e) => sx(e + 1)), p.train.map((v) => sy(tf(v))), color, false));
    if (p.val) body.push(polyline(p.val.map((_, e) => sx(e + 1)), p.val.map((v) => sy(tf(v))), color, true));
    // Legend in the top-right corner of the panel.
    const lx = f.x + f.w - 90, ly = f.y + 12;
    const legend = [p.train && ['train', false], p.val && ['validation', true]].filter(Boolean) as [string, boolean][];
    legend.forEach(([label, dashed], j) => {
      body.push(`<line x1="${px(lx)}" y1="${px(ly + j * 14)}" x2="${px(lx + 22)}" y2="${px(ly + j * 14)}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      body.push(`<text x="${px(lx + 26)}" y="${px(ly + j * 14 + 4)}">${label}</text>`);
    });
    body.push('</g>');
  });
  return svgDocument(W * panels.length, H + titleH, opts.title ?? 'training history', body);
}
