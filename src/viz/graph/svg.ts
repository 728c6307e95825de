// Standalone SVG of a computation graph, laid out by ELK's layered (Sugiyama) algorithm, so no
// Graphviz install is needed. elk.bundled.js runs in Node and browsers without workers; its
// layout is asynchronous, hence the Promise.
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { escapeXml, px } from '../xml.js';
import type { BuildOptions } from './build.js';
import { asGraph, type GraphSource } from './dot.js';
import { nodeLines, type GraphNode, type RankDir, type RenderOptions } from './model.js';
import { KIND_STYLE } from './style.js';

const FONT = 12, LINE = 15, CHAR_W = 7, PAD_X = 12, PAD_Y = 8;
const DIRECTION: Record<RankDir, string> = { LR: 'RIGHT', RL: 'LEFT', TB: 'DOWN', BT: 'UP' };

let elk: ELK | undefined;

/** ELK is loaded on first use, so importing nabla never requires it (only toSvg does). */
async function loadElk(): Promise<ELK> {
  // The bundle is CommonJS with `module.exports = ELK` and `ELK.default = ELK`; under NodeNext
  // TypeScript types the default import as the whole module, so take `.default` (same object).
  const mod = (await import('elkjs/lib/elk.bundled.js')).default;
  return new mod.default();
}

function nodeSize(lines: string[], shape: string): [number, number] {
  const w = Math.max(...lines.map((l) => [...l].length)) * CHAR_W + 2 * PAD_X;
  const h = lines.length * LINE + 2 * PAD_Y;
  // An ellipse needs room around the text block that fits inside it.
  return shape === 'ellipse' ? [w * 1.25, h * 1.3] : [w, h];
}

function drawNode(n: GraphNode, lines: string[], x: number, y: number, w: number, h: number): string {
  const s = KIND_STYLE[n.kind];
  const paint = `fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"`;
  let shape: string;
  switch (s.svgShape) {
    case 'ellipse':
      shape = `<ellipse cx="${px(x + w / 2)}" cy="${px(y + h / 2)}" rx="${px(w / 2)}" ry="${px(h / 2)}" ${paint}/>`;
      break;
    case 'pill':
      shape = `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" rx="${px(Math.min(h / 2, 14))}" ${paint}/>`;
      break;
    case 'double-box':
      shape = `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" ${paint}/>` +
        `<rect x="${px(x + 3)}" y="${px(y + 3)}" width="${px(w - 6)}" height="${px(h - 6)}" fill="none" stroke="${s.stroke}"/>`;
      break;
    default:
      shape = `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" rx="2" ${paint}/>`;
  }
  const top = y + h / 2 - ((lines.length - 1) * LINE) / 2 + FONT / 3;
  const text = lines.map((l, i) =>
    `<text x="${px(x + w / 2)}" y="${px(top + i * LINE)}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(l)}</text>`).join('');
  return `<g class="node ${n.kind}" id="${n.id}"><title>${escapeXml(`${n.kind}: ${lines.join(', ')}`)}</title>${shape}${text}</g>`;
}

function drawEdge(e: ElkExtendedEdge): string {
  const parts: string[] = [];
  for (const sec of e.sections ?? []) {
    const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
    parts.push(`<polyline points="${pts.map((p) => `${px(p.x)},${px(p.y)}`).join(' ')}" fill="none" stroke="#6b7280" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  return parts.join('');
}

export interface SvgOptions extends RenderOptions, BuildOptions {
  /** Extra ELK layout options, e.g. {'elk.spacing.nodeNode': '30'}. */
  layoutOptions?: Record<string, string>;
}

/** The graph as a standalone SVG document (async: ELK lays out asynchronously). */
export async function toSvg(src: GraphSource, opts: SvgOptions = {}): Promise<string> {
  const g = asGraph(src, opts);
  const lines = new Map(g.nodes.map((n) => [n.id, nodeLines(n, opts)]));
  const input: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': DIRECTION[opts.rankdir ?? 'LR'],
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.edgeRouting': 'POLYLINE',
      ...opts.layoutOptions,
    },
    children: g.nodes.map((n) => {
      const [width, height] = nodeSize(lines.get(n.id)!, KIND_STYLE[n.kind].svgShape);
      return { id: n.id, width, height };
    }),
    edges: g.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  elk ??= await loadElk();
  const laid = await elk.layout(input);
  const margin = 10, titleH = opts.title ? 24 : 0;
  const W = (laid.width ?? 0) + 2 * margin, H = (laid.height ?? 0) + 2 * margin + titleH;
  const body: string[] = [];
  for (const e of laid.edges ?? []) body.push(drawEdge(e));
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const c of laid.children ?? []) {
    body.push(drawNode(byId.get(c.id)!, lines.get(c.id)!, c.x ?? 0, c.y ?? 0, c.width ?? 0, c.height ?? 0));
  }
  const title = opts.title ? `<text x="${px(W / 2)}" y="18" font-size="14" font-weight="bold">${escapeXml(opts.title)}</text>` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(W)}" height="${px(H)}" viewBox="0 0 ${px(W)} ${px(H)}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT}" text-anchor="middle">`,
    `<title>${escapeXml(opts.title ?? 'nabla computation graph')}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    title,
    `<g transform="translate(${margin},${margin + titleH})">`,
    ...body,
    '</g>',
    '</svg>',
  ].join('\n') + '\n';
}
