// The profile as a terminal table (what `nabla profile` prints).
import { fmtBytes, fmtCount, fmtNum } from '../numbers.js';
import type { ProfileReport } from './profile.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  // First column left-aligned (names), numbers right-aligned.
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

const ms = (x: number) => (Number.isFinite(x) ? fmtNum(x, 3) : '-');

export function formatProfile(p: ProfileReport): string {
  const rows = [['layer', 'in→out', 'act', 'fwd FLOPs', 'bwd FLOPs', 'fwd ms', 'bwd ms', 'bwd/fwd', 'saved for bwd']];
  for (const l of p.layers) {
    rows.push([String(l.layer), `${l.inputs}→${l.outputs}`, l.activation, fmtCount(l.forwardFlops), fmtCount(l.backwardFlops),
      ms(l.forwardMs), ms(l.backwardMs), ms(l.ratio), fmtBytes(l.savedBytes)]);
  }
  rows.push(['total', '', '', fmtCount(p.forwardFlops), fmtCount(p.backwardFlops), ms(p.forwardMs), ms(p.backwardMs), ms(p.ratio), fmtBytes(p.memory.savedActivationBytes)]);
  const m = p.memory;
  return [
    `Profile: batch of ${p.batch}, ${p.dtype}, median of ${p.repeats} runs`,
    '',
    ...table(rows),
    '',
    `backward/forward: measured ${fmtNum(p.ratio, 3)}×, FLOP count ${fmtNum(p.flopRatio, 3)}×, rule of thumb ≈ ${p.ruleOfThumb}× (two multiply-adds per weight backward, one forward)`,
    '  (totals include the loss; FLOPs count the matrix products only; layer 1 skips ∂x, so it costs ≈ 1× forward)',
    `memory, training:  ${fmtBytes(m.trainingBytes)} = parameters ${fmtBytes(m.parameterBytes)} + gradients ${fmtBytes(m.gradientBytes)} + activations kept for backward ${fmtBytes(m.savedActivationBytes)}`,
    `memory, inference: ${fmtBytes(m.inferenceBytes)} = parameters ${fmtBytes(m.parameterBytes)} + one layer's input and output ${fmtBytes(m.inferenceBytes - m.parameterBytes)}`,
  ].join('\n') + '\n';
}
