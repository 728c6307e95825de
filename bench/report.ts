// Printing shared by the Node and browser benchmarks: the workload table, ratios nabla / peer for
// every pair measured in the same run, and how each figure was taken.
import { GEMMS, MLP, SMALL, WORKLOAD_IDS, unitOf } from './workloads/spec.js';

export interface SystemFigures {
  figures: Record<string, number>;
  notes: Record<string, string>;
  version?: string;
}

export const fmtNum = (v: number | undefined): string => {
  if (v === undefined || !Number.isFinite(v)) return '-';
  return v >= 1000 ? Math.round(v).toLocaleString('en-US') : v >= 100 ? v.toFixed(0) : v.toFixed(1);
};

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** a / b per workload, where both have the figure. */
export function ratio(a: SystemFigures, b: SystemFigures): Record<string, number> {
  const r: Record<string, number> = {};
  for (const id of WORKLOAD_IDS) {
    const x = a.figures[id], y = b.figures[id];
    if (x !== undefined && y !== undefined && y > 0) r[id] = x / y;
  }
  return r;
}

/** `${n} / ${p}` for every nabla system n and peer p (> 1 means nabla is faster). */
export function pairRatios(systems: Record<string, SystemFigures>, peerNames: string[]): Record<string, Record<string, number>> {
  const ratios: Record<string, Record<string, number>> = {};
  for (const n of Object.keys(systems).filter((s) => s.startsWith('nabla '))) {
    for (const p of peerNames) ratios[`${n} / ${p}`] = ratio(systems[n], systems[p]);
  }
  return ratios;
}

const LABELS = new Map([...GEMMS.map((g) => [g.id, g.label] as const), [MLP.id, MLP.label], [SMALL.id, SMALL.label]]);

export function printFigures(systems: Record<string, SystemFigures>): void {
  const names = Object.keys(systems);
  console.log(table(['workload', 'unit', ...names], WORKLOAD_IDS.map((id) => [LABELS.get(id) ?? id, unitOf(id), ...names.map((n) => fmtNum(systems[n].figures[id]))])));
}

export function printRatios(ratios: Record<string, Record<string, number>>, names: string[]): void {
  if (!names.length) return;
  console.log('\nratios nabla / peer (> 1: nabla faster)\n');
  console.log(table(['pair', ...WORKLOAD_IDS], names.map((r) => [r, ...WORKLOAD_IDS.map((id) => (ratios[r][id] === undefined ? '-' : `${ratios[r][id].toFixed(2)}x`))])));
}

export function printNotes(systems: Record<string, SystemFigures>, configs: Record<string, string> = {}): void {
  console.log('\nhow each figure was taken (repetitions x calls or steps per repetition)');
  for (const [n, s] of Object.entries(systems)) {
    const v = s.version ? ` ${s.version}` : '';
    const c = configs[n] ? ` [${configs[n]}]` : '';
    console.log(`  ${n}${v}${c}: ${WORKLOAD_IDS.filter((id) => s.notes[id]).map((id) => `${id} ${s.notes[id]}`).join('; ')}`);
  }
}

export function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}
