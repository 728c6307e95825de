// A derivation is a list of equations, each with its symbolic form and its actual numbers.
// explain (tensor) and explainScalar (Value) build one; the renderers print it as plain text for
// terminals or as Markdown with LaTeX. Keeping the two renderings in one model means they can
// never disagree on a number.
import { fmtArray, fmtShape, texArray } from '../numbers.js';

/** The same expression written for a terminal and for LaTeX. */
export interface Expr {
  text: string;
  tex: string;
}

export interface Step {
  lhs: Expr;
  /** The rule, e.g. W⁽¹⁾ᵀx + b⁽¹⁾ or ∂L/∂q · ∂q/∂x. */
  formula?: Expr;
  /** The rule with numbers substituted, e.g. (-3)·(1). */
  substituted?: Expr;
  /** The result as computed by the engine. */
  value: { data: number[]; shape: number[] };
  /** Print the shape after the value (tensor derivations). */
  showShape?: boolean;
}

export interface Section {
  title: string;
  steps: Step[];
}

export interface Derivation {
  title: string;
  /** Sentences printed under the title (conventions, where numbers come from). */
  notes: string[];
  sections: Section[];
}

export type ExplainFormat = 'text' | 'markdown';

export const expr = (text: string, tex: string): Expr => ({ text, tex });

/** A step's value from a plain number or a tensor-like {data, shape}. */
export function val(x: number | { data: ArrayLike<number>; shape: readonly number[] }): Step['value'] {
  return typeof x === 'number' ? { data: [x], shape: [] } : { data: Array.from(x.data), shape: [...x.shape] };
}

/** Printed width: combining marks (the bar of z̄) take no column. */
const width = (s: string) => [...s].filter((c) => !/\p{M}/u.test(c)).length;

function renderText(d: Derivation, digits: number): string {
  const out = [d.title, '='.repeat(width(d.title))];
  for (const n of d.notes) out.push(n);
  for (const s of d.sections) {
    out.push('', `${s.title}:`);
    const w = Math.max(...s.steps.map((st) => width(st.lhs.text)));
    for (const st of s.steps) {
      const parts = [st.lhs.text + ' '.repeat(w - width(st.lhs.text))];
      if (st.formula) parts.push(st.formula.text);
      if (st.substituted) parts.push(st.substituted.text);
      parts.push(fmtArray(st.value.data, st.value.shape, digits));
      const shape = st.showShape && st.value.shape.length > 0 ? `    (shape ${fmtShape(st.value.shape)})` : '';
      out.push(`  ${parts.join(' = ')}${shape}`);
    }
  }
  return out.join('\n') + '\n';
}

function texShape(shape: readonly number[]): string {
  return `\\mathbb{R}^{${shape.join(' \\times ')}}`;
}

function renderMarkdown(d: Derivation, digits: number): string {
  const out = [`## ${d.title}`, ''];
  for (const n of d.notes) out.push(n, '');
  for (const s of d.sections) {
    out.push(`### ${s.title}`, '');
    for (const st of s.steps) {
      const parts = [st.lhs.tex];
      if (st.formula) parts.push(st.formula.tex);
      if (st.substituted) parts.push(st.substituted.tex);
      parts.push(texArray(st.value.data, st.value.shape, digits));
      const shape = st.showShape && st.value.shape.length > 0 ? ` \\quad \\in ${texShape(st.value.shape)}` : '';
      out.push(`$$${parts.join(' = ')}${shape}$$`, '');
    }
  }
  return out.join('\n');
}

export function renderDerivation(d: Derivation, format: ExplainFormat = 'text', digits = 4): string {
  return format === 'markdown' ? renderMarkdown(d, digits) : renderText(d, digits);
}
