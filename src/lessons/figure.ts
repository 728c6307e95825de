// The lessons' figures: a row (or grid) of small panels with lines, points and shaded decision
// regions, and the claim and measurement written underneath. Plain SVG text, browser-safe.
import { drawAxes, linearScale, PALETTE, svgDocument } from '../viz/plot/axes.js';
import { escapeXml, px } from '../viz/xml.js';

export interface Series {
  x: number[];
  y: number[];
  label?: string;
  color?: string;
  /** Draw a line through the points (default true). */
  line?: boolean;
  /** Draw a dot at each point (default: when there are at most 40). */
  dots?: boolean;
  dashed?: boolean;
}

/** Shaded class regions over a grid: cls[i][j] is the class at row i (y) and column j (x). */
export interface Regions {
  cls: number[][];
  x: [number, number];
  y: [number, number];
}

export interface Panel {
  title: string;
  xTitle: string;
  yTitle: string;
  series: Series[];
  x?: [number, number];
  y?: [number, number];
  regions?: Regions;
}

const W = 330, H = 250, M = { l: 56, r: 14, t: 26, b: 44 };

function drawPanel(p: Panel, ox: number, oy: number): string {
  const xs = p.series.flatMap((s) => s.x).filter(Number.isFinite), ys = p.series.flatMap((s) => s.y).filter(Number.isFinite);
  const [x0, x1] = p.x ?? p.regions?.x ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = p.y ?? p.regions?.y ?? [Math.min(...ys), Math.max(...ys)];
  const f = { x: ox + M.l, y: oy + M.t, w: W - M.l - M.r, h: H - M.t - M.b };
  const sx = linearScale(x0, x1, f.x, f.x + f.w, !p.x && !p.regions), sy = linearScale(y0, y1, f.y + f.h, f.y, !p.y && !p.regions);
  const out: string[] = [`<text x="${px(ox + W / 2)}" y="${px(oy + 16)}" text-anchor="middle" font-weight="bold">${escapeXml(p.title)}</text>`];
  if (p.regions) {
    const { cls } = p.regions, rows = cls.length, cols = cls[0].length;
    const cw = f.w / cols, ch = f.h / rows;
    cls.forEach((row, i) => row.forEach((c, j) => {
      out.push(`<rect x="${px(f.x + j * cw)}" y="${px(f.y + f.h - (i + 1) * ch)}" width="${px(cw + 0.5)}" height="${px(ch + 0.5)}" fill="${PALETTE[c % PALETTE.length]}" fill-opacity="0.22"/>`);
    }));
  }
  out.push(drawAxes(f, sx, sy, p.xTitle, p.yTitle));
  p.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const pts = s.x.map((x, i) => [sx(Math.min(Math.max(x, sx.domain[0]), sx.domain[1])), sy(Math.min(Math.max(s.y[i], sy.domain[0]), sy.domain[1]))]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (s.line ?? true) out.push(`<polyline points="${pts.map(([a, b]) => `${px(a)},${px(b)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.dots ?? pts.length <= 40) for (const [a, b] of pts) out.push(`<circle cx="${px(a)}" cy="${px(b)}" r="3.5" fill="${color}" stroke="#111827" stroke-width="0.6"/>`);
  });
  const labelled = p.series.filter((s) => s.label);
  labelled.forEach((s, k) => {
    const color = s.color ?? PALETTE[p.series.indexOf(s) % PALETTE.length];
    const y = f.y + 12 + k * 14;
    out.push(`<rect x="${px(f.x + 6)}" y="${px(y - 8)}" width="10" height="10" fill="${color}"/><text x="${px(f.x + 20)}" y="${px(y + 1)}">${escapeXml(s.label!)}</text>`);
  });
  return out.join('\n');
}

/** Panels three to a row, then the lesson's text lines (claim, measurement, verdict). */
export function figure(title: string, panels: Panel[], lines: string[]): string {
  const perRow = panels.length === 4 ? 2 : Math.min(3, Math.max(1, panels.length));
  const rows = Math.ceil(panels.length / perRow);
  const width = Math.max(perRow * W, 660), top = 34, textTop = top + rows * H + 12;
  const body: string[] = [`<text x="${px(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`];
  panels.forEach((p, i) => body.push(drawPanel(p, (i % perRow) * W, top + Math.floor(i / perRow) * H)));
  // Long lines wrap at about 100 characters so that the text stays inside the figure.
  const wrapped = lines.flatMap((l) => {
    const out: string[] = [];
    let cur = '';
    for (const w of l.split(' ')) {
      if ((cur + ' ' + w).length > 100 && cur) { out.push(cur); cur = `  ${w}`; } else cur = cur ? `${cur} ${w}` : w;
    }
    return [...out, cur];
  });
  wrapped.forEach((l, i) => body.push(`<text x="12" y="${px(textTop + 14 * i)}">${escapeXml(l)}</text>`));
  return svgDocument(width, textTop + 14 * wrapped.length + 10, title, body);
}

/** A grid of classes for a 2-d predictor over [x0, x1] × [y0, y1]. */
export function regionsOf(classify: (points: number[][]) => number[], x: [number, number], y: [number, number], steps = 40): Regions {
  const pts: number[][] = [];
  for (let i = 0; i < steps; i++) for (let j = 0; j < steps; j++) pts.push([x[0] + ((j + 0.5) / steps) * (x[1] - x[0]), y[0] + ((i + 0.5) / steps) * (y[1] - y[0])]);
  const c = classify(pts);
  return { cls: Array.from({ length: steps }, (_, i) => c.slice(i * steps, (i + 1) * steps)), x, y };
}
