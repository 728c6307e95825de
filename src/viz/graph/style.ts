// One style table for every exporter, so that parameters, inputs and the loss look the same in
// DOT, Mermaid and SVG: inputs blue pills, parameters amber boxes, ops white ellipses,
// the loss red (a green box for a non-scalar output).
import type { NodeKind } from './model.js';

export interface KindStyle {
  fill: string;
  stroke: string;
  /** Graphviz shape name. */
  dotShape: string;
  /** Shape drawn by the SVG exporter. */
  svgShape: 'pill' | 'box' | 'ellipse' | 'double-box';
}

export const KIND_STYLE: Record<NodeKind, KindStyle> = {
  input: { fill: '#dbeafe', stroke: '#1d4ed8', dotShape: 'box', svgShape: 'pill' },
  parameter: { fill: '#fde68a', stroke: '#b45309', dotShape: 'box', svgShape: 'box' },
  constant: { fill: '#f3f4f6', stroke: '#9ca3af', dotShape: 'plaintext', svgShape: 'box' },
  op: { fill: '#ffffff', stroke: '#374151', dotShape: 'ellipse', svgShape: 'ellipse' },
  loss: { fill: '#fecaca', stroke: '#b91c1c', dotShape: 'doubleoctagon', svgShape: 'double-box' },
  output: { fill: '#bbf7d0', stroke: '#15803d', dotShape: 'doubleoctagon', svgShape: 'double-box' },
};
