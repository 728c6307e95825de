// The lecture graph of one example, drawn left to right in SVG (labels are SVG text, so they can
// be read, searched and tested), with a walk through the backward pass: each step reveals the
// gradient of the next node in the order backprop computes it, highlights it and shows its
// derivation line. The view fits its panel and can be zoomed (buttons, Ctrl + wheel, pinch) and
// panned (drag).
import type { LectureGraph, LectureNode } from './lecture-graph.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 108, NODE_H = 60, COL = 132, ROW = 88, PAD = 20;

export interface BackwardState {
  /** Gradients revealed so far (0: only forward values shown). */
  step: number;
  total: number;
  /** The node whose gradient was just computed. */
  current: string | null;
  currentLabel: string | null;
  currentGrad: string | null;
  /** The derivation lines shown beside the graph. */
  derivation: string;
}

/** A short summary of a value for inside a node: the numbers when few, else the shape. */
function summary(v: { data: number[]; shape: number[] }): string {
  const f = (x: number) => Number(x.toPrecision(3)).toString();
  if (v.data.length <= 3) return v.shape.length === 0 ? f(v.data[0]) : `[${v.data.map(f).join(', ')}]`;
  return v.shape.join('×');
}

export class BackpropView {
  private graph: LectureGraph | null = null;
  private svg: SVGSVGElement | null = null;
  private step = 0;
  private full = { x: 0, y: 0, w: 1, h: 1 };
  private view = { x: 0, y: 0, w: 1, h: 1 };

  constructor(readonly root: HTMLElement, readonly caption: HTMLElement, readonly derivation: HTMLElement) {
    this.enablePanZoom();
    new ResizeObserver(() => this.applyView()).observe(root);
  }

  show(g: LectureGraph): void {
    const keepStep = this.graph && this.graph.backwardOrder.join() === g.backwardOrder.join() ? this.step : 0;
    this.graph = g;
    const svg = document.createElementNS(SVG, 'svg');
    svg.id = 'graph-svg';
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'computation graph of the loss for one example');
    const at = new Map(g.nodes.map((n) => [n.id, { x: PAD + n.col * COL, y: PAD + n.row * ROW }]));
    const cols = Math.max(...g.nodes.map((n) => n.col)) + 1;
    const edgeLayer = document.createElementNS(SVG, 'g');
    svg.append(edgeLayer);
    for (const e of g.edges) {
      const a = at.get(e.from)!, b = at.get(e.to)!;
      const p = document.createElementNS(SVG, 'path');
      p.classList.add('edge');
      if (e.penalty) p.classList.add('penalty');
      let d: string;
      if (e.penalty) {
        // Over the top of the graph to J.
        const y = PAD - 14;
        d = `M${a.x + NODE_W / 2},${a.y} C${a.x + NODE_W / 2},${y} ${b.x + NODE_W / 2},${y} ${b.x + NODE_W / 2},${b.y}`;
      } else if (a.y === b.y) {
        d = `M${a.x + NODE_W},${a.y + NODE_H / 2} L${b.x},${b.y + NODE_H / 2}`;
      } else if (a.x === b.x) {
        d = a.y < b.y ? `M${a.x + NODE_W / 2},${a.y + NODE_H} L${b.x + NODE_W / 2},${b.y}` : `M${a.x + NODE_W / 2},${a.y} L${b.x + NODE_W / 2},${b.y + NODE_H}`;
      } else {
        d = `M${a.x + NODE_W},${a.y + NODE_H / 2} C${b.x},${a.y + NODE_H / 2} ${b.x},${b.y + NODE_H / 2} ${b.x},${b.y + NODE_H / 2}`;
      }
      p.setAttribute('d', d);
      p.setAttribute('marker-end', 'url(#arrow)');
      edgeLayer.append(p);
    }
    const defs = document.createElementNS(SVG, 'defs');
    defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#94a3b8"/></marker>';
    svg.prepend(defs);
    for (const n of g.nodes) svg.append(this.nodeElement(n, at.get(n.id)!));
    this.root.replaceChildren(svg);
    this.svg = svg;
    this.full = { x: 0, y: -4, w: cols * COL + PAD, h: 3 * ROW + PAD - 10 };
    this.step = keepStep;
    this.fit();
    this.paint();
  }

  private nodeElement(n: LectureNode, p: { x: number; y: number }): SVGGElement {
    const g = document.createElementNS(SVG, 'g');
    g.classList.add('node', n.kind);
    g.id = `node-${n.id}`;
    g.dataset.label = n.label;
    g.setAttribute('transform', `translate(${p.x},${p.y})`);
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('width', String(NODE_W));
    rect.setAttribute('height', String(NODE_H));
    rect.setAttribute('rx', n.kind === 'value' ? '24' : '6');
    const text = (cls: string, y: number, s: string) => {
      const t = document.createElementNS(SVG, 'text');
      t.classList.add(cls);
      t.setAttribute('x', String(NODE_W / 2));
      t.setAttribute('y', String(y));
      t.setAttribute('text-anchor', 'middle');
      t.textContent = s;
      return t;
    };
    g.append(rect, text('name', 22, n.label), text('val', 39, summary(n.value)));
    if (n.grad) g.append(text('grad-line', 54, `∂: ${summary(n.grad)}`));
    g.addEventListener('click', () => this.describe(n, true));
    return g;
  }

  /** Reveal the next gradient (nothing once the backward pass is complete). */
  stepBackward(): void {
    if (!this.graph || this.step >= this.graph.backwardOrder.length) return;
    this.step++;
    this.paint();
  }

  runAll(): void {
    if (!this.graph) return;
    this.step = this.graph.backwardOrder.length;
    this.paint();
  }

  rewind(): void {
    this.step = 0;
    this.paint();
  }

  state(): BackwardState {
    const node = this.currentNode();
    return {
      step: this.step,
      total: this.graph?.backwardOrder.length ?? 0,
      current: node ? `node-${node.id}` : null,
      currentLabel: node?.label ?? null,
      currentGrad: node?.grad ? summary(node.grad) : null,
      derivation: this.derivation.textContent ?? '',
    };
  }

  zoom(factor: number, cx = this.view.x + this.view.w / 2, cy = this.view.y + this.view.h / 2): void {
    const w = Math.min(this.full.w * 4, Math.max(COL, this.view.w / factor));
    const h = (this.view.h * w) / this.view.w;
    this.view = { x: cx - ((cx - this.view.x) * w) / this.view.w, y: cy - ((cy - this.view.y) * h) / this.view.h, w, h };
    this.applyView();
  }

  /** The whole graph in the panel. */
  fit(): void {
    this.view = { ...this.full };
    this.applyView();
  }

  private applyView(): void {
    this.svg?.setAttribute('viewBox', `${this.view.x} ${this.view.y} ${this.view.w} ${this.view.h}`);
  }

  private enablePanZoom(): void {
    let drag: { id: number; x: number; y: number } | null = null;
    const scale = () => {
      // viewBox units per screen pixel (preserveAspectRatio meet: the larger ratio applies).
      const r = this.root.getBoundingClientRect();
      return Math.max(this.view.w / r.width, this.view.h / r.height);
    };
    this.root.addEventListener('pointerdown', (e) => {
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
    });
    this.root.addEventListener('pointermove', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      // Captured only once it is a drag, so that a click still reaches the node under it.
      if (!this.root.hasPointerCapture(e.pointerId)) {
        if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 4) return;
        this.root.setPointerCapture(e.pointerId);
      }
      const k = scale();
      this.view.x -= (e.clientX - drag.x) * k;
      this.view.y -= (e.clientY - drag.y) * k;
      drag.x = e.clientX; drag.y = e.clientY;
      this.applyView();
    });
    const end = () => { drag = null; };
    this.root.addEventListener('pointerup', end);
    this.root.addEventListener('pointercancel', end);
    // Ctrl + wheel (and a trackpad pinch, which browsers report as Ctrl + wheel) zooms; a plain
    // wheel keeps scrolling the page.
    this.root.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const r = this.root.getBoundingClientRect(), k = scale();
      const cx = this.view.x + (e.clientX - r.left - (r.width - this.view.w / k) / 2) * k;
      const cy = this.view.y + (e.clientY - r.top - (r.height - this.view.h / k) / 2) * k;
      this.zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, cx, cy);
    }, { passive: false });
  }

  private currentNode(): LectureNode | null {
    if (!this.graph || this.step === 0) return null;
    const id = this.graph.backwardOrder[this.step - 1];
    return this.graph.nodes.find((n) => n.id === id) ?? null;
  }

  private paint(): void {
    if (!this.svg || !this.graph) return;
    const revealed = new Set(this.graph.backwardOrder.slice(0, this.step));
    const current = this.currentNode();
    this.svg.querySelectorAll<SVGGElement>('g.node').forEach((g) => {
      const id = g.id.slice('node-'.length);
      g.classList.toggle('current', id === current?.id);
      g.classList.toggle('done', revealed.has(id) && id !== current?.id);
      g.querySelectorAll('.grad-line').forEach((t) => t.classList.toggle('hidden', !revealed.has(id)));
    });
    const g = this.graph;
    if (!current) {
      const top = g.nodes.find((n) => n.id === 'J') ?? g.nodes.find((n) => n.id === 'L')!;
      this.caption.textContent = `Forward pass done: ${top.label} = ${summary(top.value)}. Step backward to compute the gradients from the loss back to the weights (${g.backwardOrder.length} steps).`;
      this.derivation.textContent = g.nodes.map((n) => n.forward).filter((l): l is string => l !== null).join('\n');
      return;
    }
    this.describe(current, false);
    this.reveal(current);
  }

  /** Zoomed in: pan so that the highlighted node is in view (the walk may leave the visible part). */
  private reveal(n: LectureNode): void {
    const x = PAD + n.col * COL, y = PAD + n.row * ROW, v = this.view;
    const inside = x >= v.x && x + NODE_W <= v.x + v.w && y >= v.y && y + NODE_H <= v.y + v.h;
    if (inside) return;
    this.view = { ...v, x: x + NODE_W / 2 - v.w / 2, y: Math.min(Math.max(y + NODE_H / 2 - v.h / 2, this.full.y), this.full.y + this.full.h - v.h) };
    this.applyView();
  }

  /** The node's lines beside the graph: its forward value and, once computed, its gradient. */
  private describe(n: LectureNode, clicked: boolean): void {
    const g = this.graph!;
    const revealed = g.backwardOrder.slice(0, this.step).includes(n.id);
    this.caption.textContent = clicked
      ? `${n.label}${revealed || !n.grad ? '' : ' (its gradient comes later in the backward pass)'}`
      : `Step ${this.step}/${g.backwardOrder.length}: the gradient of ${n.label}`;
    const lines = [n.forward];
    if (n.grad && revealed) lines.push(n.grad.line);
    this.derivation.textContent = lines.filter((l): l is string => l !== null).join('\n');
  }
}
