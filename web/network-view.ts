// TensorFlow Playground's network diagram: a column of input features (click one to use it or
// not), one column per hidden layer with + / − buttons for its neurons, and the output. Each
// neuron is a small heat map of its output over the plane; each edge's thickness and colour show
// its weight (orange positive, blue negative). Laid out in pixels from the panel's width, again
// whenever the panel is resized, so it fits from a phone to a wall screen.
import { Linear, type Sequential, type Tensor } from '../src/index.js';
import { css, diverging } from './colors.js';
import { context2d, el } from './dom.js';
import { FEATURE_NAMES, FEATURES, featurize, type FeatureName } from './features.js';
import { columnScale, paintHeatmap } from './heatmap.js';
import { signedOutput } from './boundary-view.js';
import { gridPoints, type Probe } from './probe.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface NetworkEvents {
  toggleFeature(f: FeatureName): void;
  changeUnits(layer: number, delta: 1 | -1): void;
}

interface Pos { x: number; y: number }

export class NetworkView {
  private features: FeatureName[] = [];
  private hidden: number[] = [];
  private featureCanvases = new Map<FeatureName, CanvasRenderingContext2D>();
  private unitCanvases: CanvasRenderingContext2D[][] = [];
  private outputCanvas: CanvasRenderingContext2D | null = null;
  /** Edge paths per weight matrix, [layer][in][out]. */
  private edges: SVGPathElement[][][] = [];
  private lastWidth = -1;
  /** What was drawn last, to repaint after a resize rebuilds the canvases. */
  private last: { model: Sequential; probe: Probe; bounds: Parameters<typeof gridPoints>[0] } | null = null;
  /** Every feature over the grid (unused ones are drawn too, dimmed), computed once per grid. */
  private allFeatures: Tensor | null = null;

  constructor(readonly root: HTMLElement, private readonly events: NetworkEvents) {
    new ResizeObserver(() => {
      if (this.root.clientWidth === this.lastWidth) return;
      this.build(this.features, this.hidden);
      if (this.last) this.draw(this.last.model, this.last.probe, this.last.bounds);
    }).observe(root);
  }

  /** Rebuild for a new set of features or architecture. */
  build(features: FeatureName[], hidden: number[]): void {
    const width = this.root.clientWidth;
    // Unchanged: keep the elements, so that a click that started on one still ends on it.
    if (width === this.lastWidth && features.join() === this.features.join() && hidden.join() === this.hidden.join() && this.root.firstChild) return;
    this.features = [...features];
    this.hidden = [...hidden];
    this.lastWidth = width;
    const cols = hidden.length + 2;
    const rows = Math.max(FEATURE_NAMES.length, ...hidden, 1);
    const labelW = Math.min(56, width * 0.14);
    const colGap = (width - labelW) / cols;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
    const s = Math.max(18, Math.min(40, colGap * 0.5, 300 / rows));
    const pitch = s * 1.28, top = 30;
    const height = top + rows * pitch + 4;
    const colX = (c: number) => labelW + colGap * (c + 0.5);
    const rowY = (r: number, count: number) => top + (rows - count) * pitch / 2 + r * pitch + (pitch - s) / 2;
    this.root.style.height = `${height}px`;
    this.root.replaceChildren();
    const svg = document.createElementNS(SVG, 'svg');
    svg.classList.add('edges');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    this.root.append(svg);

    const centre = (c: number, r: number, count: number): Pos => ({ x: colX(c), y: rowY(r, count) + s / 2 });
    const place = (node: HTMLElement, c: number, r: number, count: number) => {
      Object.assign(node.style, { left: `${colX(c) - s / 2}px`, top: `${rowY(r, count)}px`, width: `${s}px`, height: `${s}px` });
    };
    const canvas = (): [HTMLCanvasElement, CanvasRenderingContext2D] => {
      const c = el('canvas');
      c.width = 32; c.height = 32;
      return [c, context2d(c)];
    };

    // Inputs: every feature, the unused ones dimmed.
    this.featureCanvases.clear();
    const active: Pos[] = [];
    FEATURE_NAMES.forEach((f, r) => {
      const on = features.includes(f);
      const b = el('button', 'feature');
      b.type = 'button';
      b.id = `feature-${f}`;
      b.setAttribute('aria-pressed', String(on));
      b.title = `${FEATURES[f].label}: click to ${on ? 'remove' : 'add'} this input`;
      b.setAttribute('aria-label', `input feature ${FEATURES[f].label}`);
      const [c, ctx] = canvas();
      b.append(c);
      b.addEventListener('click', () => this.events.toggleFeature(f));
      place(b, 0, r, FEATURE_NAMES.length);
      this.featureCanvases.set(f, ctx);
      const label = el('span', 'feature-label', FEATURES[f].label);
      Object.assign(label.style, { right: `${width - (colX(0) - s / 2 - 4)}px`, top: `${rowY(r, FEATURE_NAMES.length) + s / 2 - 9}px` });
      this.root.append(label, b);
      if (on) active.push(centre(0, r, FEATURE_NAMES.length));
    });

    // Hidden layers, with their + / − buttons on top.
    const positions: Pos[][] = [active];
    this.unitCanvases = hidden.map((w, l) => {
      const head = el('div', 'col-head');
      head.style.left = `${colX(l + 1)}px`;
      const buttons = el('div', 'unit-buttons');
      for (const [text, delta, what] of [['+', 1, 'add a neuron to'], ['−', -1, 'remove a neuron from']] as const) {
        const b = el('button', undefined, text);
        b.type = 'button';
        b.id = `units-${l + 1}-${delta > 0 ? 'add' : 'remove'}`;
        b.setAttribute('aria-label', `${what} layer ${l + 1}`);
        b.addEventListener('click', () => this.events.changeUnits(l, delta));
        buttons.append(b);
      }
      // Where columns are narrow (a phone, projector type) the count stands alone.
      head.append(buttons, el('div', undefined, colGap < 6.5 * rem ? String(w) : `${w} neuron${w === 1 ? '' : 's'}`));
      this.root.append(head);
      const pos: Pos[] = [];
      const ctxs = Array.from({ length: w }, (_, u) => {
        const [c, ctx] = canvas();
        c.className = 'neuron';
        c.id = `neuron-${l + 1}-${u + 1}`;
        c.title = `layer ${l + 1}, neuron ${u + 1}`;
        place(c, l + 1, u, w);
        pos.push(centre(l + 1, u, w));
        this.root.append(c);
        return ctx;
      });
      positions.push(pos);
      return ctxs;
    });
    const [oc, octx] = canvas();
    oc.className = 'neuron';
    oc.id = 'neuron-output';
    oc.title = 'output';
    place(oc, cols - 1, 0, 1);
    this.root.append(oc);
    this.outputCanvas = octx;
    const outHead = el('div', 'col-head', 'output');
    outHead.style.left = `${colX(cols - 1)}px`;
    this.root.append(outHead);
    positions.push([centre(cols - 1, 0, 1)]);

    // Edges between consecutive columns, drawn under the neurons.
    this.edges = positions.slice(0, -1).map((from, l) => from.map((a) => positions[l + 1].map((b) => {
      const p = document.createElementNS(SVG, 'path');
      const mx = (a.x + b.x) / 2;
      p.setAttribute('d', `M${a.x + s / 2},${a.y} C${mx},${a.y} ${mx},${b.y} ${b.x - s / 2},${b.y}`);
      p.setAttribute('fill', 'none');
      svg.append(p);
      return p;
    })));
  }

  /** Repaint heat maps and edge weights. The output has one column per class; it is drawn as p₁ − p₀. */
  draw(model: Sequential, p: Probe, bounds: Parameters<typeof gridPoints>[0]): void {
    this.last = { model, probe: p, bounds };
    if (!this.allFeatures || this.allFeatures.shape[0] !== p.size * p.size) this.allFeatures = featurize(gridPoints(bounds, p.size), FEATURE_NAMES);
    const all = this.allFeatures;
    FEATURE_NAMES.forEach((f, j) => {
      const ctx = this.featureCanvases.get(f);
      const m = columnScale(all, j);
      if (ctx) paintHeatmap(ctx, all, j, p.size, (v) => v / m);
    });
    p.hidden.forEach((h, l) => this.unitCanvases[l]?.forEach((ctx, u) => {
      const m = columnScale(h, u);
      paintHeatmap(ctx, h, u, p.size, (v) => v / m);
    }));
    if (this.outputCanvas) {
      const n = p.size * p.size, signed = new Float32Array(n);
      for (let i = 0; i < n; i++) signed[i] = signedOutput(p, i);
      paintHeatmap(this.outputCanvas, { shape: [n, 1], data: signed } as unknown as Probe['output'], 0, p.size, (v) => v);
    }
    const linears = [...model].filter((m): m is Linear => m instanceof Linear);
    linears.forEach((lin, l) => {
      const w = lin.weight.data, out = lin.weight.shape[1];
      // For the output layer of a classifier, the edge shows the weight's pull toward class 1.
      const two = l === linears.length - 1 && out === 2;
      const rows = this.edges[l] ?? [];
      rows.forEach((paths, i) => paths.forEach((path, j) => {
        const v = two ? w[i * out + 1] - w[i * out] : w[i * out + j];
        path.setAttribute('stroke', css(diverging(Math.max(-1, Math.min(1, v * 1.5)))));
        path.setAttribute('stroke-width', String(Math.min(6, 0.4 + 2.5 * Math.abs(v))));
      }));
    });
  }
}
