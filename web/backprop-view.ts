// The computational graph of one example, drawn by nabla's own SVG exporter (ELK layout), with a
// walk through the backward pass: each step reveals the gradient of the next node in reverse
// topological order and highlights it, so one can follow the chain rule node by node.
import { toSvg } from '../src/viz/graph/svg.js';
import type { GraphNode } from '../src/viz/graph/model.js';
import type { Trace } from './example-trace.js';

export interface BackwardState {
  /** Gradients revealed so far (0: only forward values shown). */
  step: number;
  total: number;
  /** The node whose gradient was just computed. */
  current: string | null;
  currentLabel: string | null;
  currentGrad: string | null;
}

export class BackpropView {
  private trace: Trace | null = null;
  private svg: SVGSVGElement | null = null;
  private step = 0;
  /** Bumped per render so that a slow layout cannot overwrite a newer one. */
  private generation = 0;

  constructor(readonly root: HTMLElement, readonly caption: HTMLElement) {}

  async show(trace: Trace): Promise<void> {
    const gen = ++this.generation;
    // Top to bottom: the loss ends up at the bottom and the backward walk climbs the page.
    const text = await toSvg(trace.graph, { rankdir: 'TB' });
    if (gen !== this.generation) return;
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const svg = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
    svg.id = 'graph-svg';
    // Tag each node's "grad ..." line so that it can be hidden until its step comes.
    svg.querySelectorAll('g.node text').forEach((t) => {
      if (t.textContent?.startsWith('grad ')) t.classList.add('grad-line');
    });
    this.root.replaceChildren(svg);
    this.svg = svg;
    this.trace = trace;
    this.step = 0;
    this.paint();
  }

  /** Reveal the next gradient (nothing once the backward pass is complete). */
  stepBackward(): void {
    if (!this.trace || this.step >= this.trace.backwardOrder.length) return;
    this.step++;
    this.paint();
  }

  runAll(): void {
    if (!this.trace) return;
    this.step = this.trace.backwardOrder.length;
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
      total: this.trace?.backwardOrder.length ?? 0,
      current: node?.id ?? null,
      currentLabel: node ? nodeName(node) : null,
      currentGrad: node?.grad ?? null,
    };
  }

  private currentNode(): GraphNode | null {
    if (!this.trace || this.step === 0) return null;
    const id = this.trace.backwardOrder[this.step - 1];
    return this.trace.graph.nodes.find((n) => n.id === id) ?? null;
  }

  private paint(): void {
    if (!this.svg || !this.trace) return;
    const revealed = new Set(this.trace.backwardOrder.slice(0, this.step));
    const current = this.currentNode();
    this.svg.querySelectorAll<SVGGElement>('g.node').forEach((g) => {
      g.classList.toggle('current', g.id === current?.id);
      g.classList.toggle('done', revealed.has(g.id) && g.id !== current?.id);
      g.querySelectorAll('.grad-line').forEach((t) => t.classList.toggle('hidden', !revealed.has(g.id)));
    });
    this.centre(current?.id ?? this.trace.graph.root);
    this.caption.textContent = this.describe(current);
  }

  /** Scroll the graph box (not the page) so that a node sits in its middle. */
  private centre(id: string): void {
    const node = this.svg?.querySelector(`#${id}`);
    if (!node) return;
    const n = node.getBoundingClientRect(), box = this.root.getBoundingClientRect();
    this.root.scrollTop += n.top + n.height / 2 - (box.top + box.height / 2);
    this.root.scrollLeft += n.left + n.width / 2 - (box.left + box.width / 2);
  }

  private describe(n: GraphNode | null): string {
    const t = this.trace!;
    if (!n) return `Forward pass done: L = ${t.loss.toFixed(4)}. Step backward to compute gradients from the loss back to the weights (${t.backwardOrder.length} nodes).`;
    const via = t.consumers.get(n.id);
    const how = via ? `sum of the VJPs of ${[...new Set(via)].join(', ')}` : 'the initial gradient ∂L/∂L = 1';
    return `Step ${this.step}/${t.backwardOrder.length}: ∂L/∂${nodeName(n)} = ${n.grad}  (${how})`;
  }
}

function nodeName(n: GraphNode): string {
  return n.name ?? n.op ?? n.label;
}
