// Axes for the hand-written SVG plots: "nice" tick values (1, 2, 5 × 10ᵏ) and linear scales.
import { fmtNum } from '../numbers.js';
import { escapeXml, px } from '../xml.js';

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Map [lo, hi] (widened to nice ticks when `nice`) onto [a, b] pixels. */
export function linearScale(lo: number, hi: number, a: number, b: number, nice = true, count = 5): Scale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const step = niceStep(hi - lo, count);
  if (nice) { lo = Math.floor(lo / step) * step; hi = Math.ceil(hi / step) * step; }
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  const s = ((v: number) => a + ((v - lo) / (hi - lo)) * (b - a)) as Scale;
  s.domain = [lo, hi];
  s.ticks = ticks;
  return s;
}

export interface Frame { x: number; y: number; w: number; h: number }

/** Frame, grid lines, tick labels and axis titles. */
export function drawAxes(f: Frame, sx: Scale, sy: Scale, xTitle: string, yTitle: string, xTickFormat = (v: number) => fmtNum(v, 3)): string {
  const out: string[] = [`<rect x="${px(f.x)}" y="${px(f.y)}" width="${px(f.w)}" height="${px(f.h)}" fill="none" stroke="#9ca3af"/>`];
  for (const t of sx.ticks) {
    const x = sx(t);
    out.push(`<line x1="${px(x)}" y1="${px(f.y)}" x2="${px(x)}" y2="${px(f.y + f.h)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${px(x)}" y="${px(f.y + f.h + 14)}" text-anchor="middle">${escapeXml(xTickFormat(t))}</text>`);
  }
  for (const t of sy.ticks) {
    const y = sy(t);
    out.push(`<line x1="${px(f.x)}" y1="${px(y)}" x2="${px(f.x + f.w)}" y2="${px(y)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${px(f.x - 5)}" y="${px(y + 4)}" text-anchor="end">${escapeXml(fmtNum(t, 3))}</text>`);
  }
  out.push(`<text x="${px(f.x + f.w / 2)}" y="${px(f.y + f.h + 30)}" text-anchor="middle">${escapeXml(xTitle)}</text>`);
  out.push(`<text transform="translate(${px(f.x - 40)},${px(f.y + f.h / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yTitle)}</text>`);
  return out.join('\n');
}

/** Wrap plot elements in a standalone SVG document. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    ...body,
    '</svg>',
  ].join('\n') + '\n';
}

/** Categorical colours (classes, curves); colour-blind-friendly Tableau 10. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
