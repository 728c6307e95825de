// Graphviz DOT export. Render with `dot -Tsvg`; toSvg draws the same graph without Graphviz.
import type { Value } from '../../scalar/value.js';
import type { Tensor } from '../../tensor/tensor.js';
import { buildGraph, type BuildOptions } from './build.js';
import { nodeLines, type Graph, type RenderOptions } from './model.js';
import { KIND_STYLE } from './style.js';

export type GraphSource = Graph | Value | Tensor;

/** A Graph as is; a Value or Tensor walked first. */
export function asGraph(src: GraphSource, opts: BuildOptions = {}): Graph {
  return 'nodes' in src && 'edges' in src ? src : buildGraph(src as Value | Tensor, opts);
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function toDot(src: GraphSource, opts: RenderOptions & BuildOptions = {}): string {
  const g = asGraph(src, opts);
  const out = [
    'digraph nabla {',
    `  rankdir=${opts.rankdir ?? 'LR'};`,
    '  node [fontname="Helvetica", fontsize=11, style=filled];',
    '  edge [color="#6b7280", arrowsize=0.7];',
  ];
  if (opts.title) out.push(`  label=${quote(opts.title)};`, '  labelloc=t;');
  for (const n of g.nodes) {
    const s = KIND_STYLE[n.kind];
    const label = nodeLines(n, opts).join('\n');
    const rounded = n.kind === 'input' ? ', style="filled,rounded"' : '';
    out.push(`  ${n.id} [label=${quote(label)}, shape=${s.dotShape}, fillcolor=${quote(s.fill)}, color=${quote(s.stroke)}${rounded}];`);
  }
  for (const e of g.edges) out.push(`  ${e.from} -> ${e.to};`);
  out.push('}');
  return out.join('\n') + '\n';
}
