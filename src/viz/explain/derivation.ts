// A derivation is a list of equations, each with its symbolic form and its actual numbers.
// explain (tensor) and explainScalar (Value) build one; the renderers print it as plain text for
// terminals or as Markdown with LaTeX. Keeping the two renderings in one model means they can
// never disagree on a number.
import { fmtArray, fmtNum, fmtShape, texArray } from '../numbers.js';

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

/**
 * A value with more entries than maxValues as one line (shape, range, mean and the first few
 * entries), so that a big model's derivation stays readable; smaller ones in full.
 */
function valueText(v: Step['value'], digits: number, maxValues: number, tex: boolean): string {
  if (v.data.length <= maxValues) return tex ? texArray(v.data, v.shape, digits) : fmtArray(v.data, v.shape, digits);
  let lo = Infinity, hi = -Infinity, s = 0;
  for (const x of v.data) { lo = Math.min(lo, x); hi = Math.max(hi, x); s += x; }
  const head = v.data.slice(0, 4).map((x) => fmtNum(x, digits)).join(', ');
  const text = `{${v.shape.join('×')}: ${v.data.length} values, min ${fmtNum(lo, digits)}, max ${fmtNum(hi, digits)}, mean ${fmtNum(s / v.data.length, digits)}, first ${head}, …}`;
  return tex ? `\text{${text.replace(/[{}]/g, '')}}` : text;
}

/** One step as the text renderer prints it: lhs = rule = numbers = value. */
export function stepText(st: Step, digits = 4, maxValues = 64): string {
  const parts = [st.lhs.text];
  if (st.formula) parts.push(st.formula.text);
  if (st.substituted) parts.push(st.substituted.text);
  parts.push(valueText(st.value, digits, maxValues, false));
  return parts.join(' = ');
}

function renderText(d: Derivation, digits: number, maxValues: number): string {
  const out = [d.title, '='.repeat(width(d.title))];
  for (const n of d.notes) out.push(n);
  for (const s of d.sections) {
    out.push('', `${s.title}:`);
    const w = Math.max(...s.steps.map((st) => width(st.lhs.text)));
    for (const st of s.steps) {
      const parts = [st.lhs.text + ' '.repeat(w - width(st.lhs.text))];
      if (st.formula) parts.push(st.formula.text);
      if (st.substituted) parts.push(st.substituted.text);
      parts.push(valueText(st.value, digits, maxValues, false));
      const shape = st.showShape && st.value.shape.length > 0 && st.value.data.length <= maxValues ? `    (shape ${fmtShape(st.value.shape)})` : '';
      out.push(`  ${parts.join(' = ')}${shape}`);
    }
  }
  return out.join('\n') + '\n';
}

function texShape(shape: readonly number[]): string {
  return `\\mathbb{R}^{${shape.join(' \\times ')}}`;
}

function renderMarkdown(d: Derivation, digits: number, maxValues: number): string {
  const out = [`## ${d.title}`, ''];
  for (const n of d.notes) out.push(n, '');
  for (const s of d.sections) {
    out.push(`### ${s.title}`, '');
    for (const st of s.steps) {
      const parts = [st.lhs.tex];
      if (st.formula) parts.push(st.formula.tex);
      if (st.substituted) parts.push(st.substituted.tex);
      parts.push(valueText(st.value, digits, maxValues, true));
      const shape = st.showShape && st.value.shape.length > 0 ? ` \\quad \\in ${texShape(st.value.shape)}` : '';
      out.push(`$$${parts.join(' = ')}${shape}$$`, '');
    }
  }
  return out.join('\n');
}

/** maxValues: values with more entries are summarised in one line (default: all printed in full). */
export function renderDerivation(d: Derivation, format: ExplainFormat = 'text', digits = 4, maxValues = Infinity): string {
  return format === 'markdown' ? renderMarkdown(d, digits, maxValues) : renderText(d, digits, maxValues);
}
