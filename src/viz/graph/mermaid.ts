// Mermaid flowchart export (renders in GitHub Markdown). Node kinds map to Mermaid shapes and
// classDefs with the same colours as the DOT and SVG exports.
import type { BuildOptions } from './build.js';
import { asGraph, type GraphSource } from './dot.js';
import { nodeLines, type GraphNode, type NodeKind, type RenderOptions } from './model.js';
import { KIND_STYLE } from './style.js';

// Mermaid allows no raw quotes or angle brackets inside a quoted label; it has its own entities.
const text = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

const SHAPES: Record<NodeKind, [string, string]> = {
  input: ['([', '])'],
  parameter: ['[', ']'],
  constant: ['[', ']'],
  op: ['(', ')'],
  loss: ['{{', '}}'],
  output: ['{{', '}}'],
};

function node(n: GraphNode, opts: RenderOptions): string {
  const [open, close] = SHAPES[n.kind];
  return `  ${n.id}${open}"${nodeLines(n, opts).map(text).join('<br/>')}"${close}:::${n.kind}`;
}

export function toMermaid(src: GraphSource, opts: RenderOptions & BuildOptions = {}): string {
  const g = asGraph(src, opts);
  const out = opts.title ? ['---', `title: ${JSON.stringify(opts.title)}`, '---'] : [];
  out.push(`flowchart ${opts.rankdir ?? 'LR'}`);
  for (const n of g.nodes) out.push(node(n, opts));
  for (const e of g.edges) out.push(`  ${e.from} --> ${e.to}`);
  const used = new Set(g.nodes.map((n) => n.kind));
  for (const [kind, s] of Object.entries(KIND_STYLE)) {
    if (used.has(kind as NodeKind)) out.push(`  classDef ${kind} fill:${s.fill},stroke:${s.stroke},color:#111827`);
  }
  return out.join('\n') + '\n';
}
