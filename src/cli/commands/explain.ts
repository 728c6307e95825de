// nabla explain: the notes' derivations with nabla's numbers. One example (the notes' column
// form), or the matrix form on a minibatch with the regularised objective J and a JSON record.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import {
  batchRecordForJson, defaultExample, explain, explainBatch, explainBatchTrace, explainScalar, netOfModule,
  scalarExamples, type NetLike, type ScalarExample,
  mlp, randn, type Pipeline, type Tensor,
} from '../../index.js';
import { loadModel, loadPipeline } from '../../node.js';
import { loadData } from '../data-source.js';
import { floatOption, intOption, listOption, requirePath } from '../options.js';
import { UsageError } from '../usage-error.js';

export interface ExplainFlags {
  model?: string; layers: string; activation: string; seed: string; batch?: string; l2: string; convention: string;
  input?: string; target?: string; loss: string; scalar?: string; markdown?: boolean; json?: boolean;
}

const NOTES_TITLE = "The notes' 2-layer network (2-3-1, ReLU then linear)";

/** "1,2;3,4" → [[1, 2], [3, 4]], each row of width `width`, `rows` rows (or any number when rows is undefined). */
function matrixFlag(v: string, flag: string, width: number, rows?: number): number[][] {
  const out = v.split(';').map((r) => r.split(',').map((s) => (s.trim() === '' ? NaN : Number(s))));
  if (out.some((r) => r.length !== width || r.some((x) => !Number.isFinite(x)))) throw new UsageError(`${flag} ${v}: expected rows of ${width} comma-separated numbers, rows separated by ';'`);
  if (rows !== undefined && out.length !== rows) throw new UsageError(`${flag} ${v}: expected ${rows} row${rows === 1 ? '' : 's'} (--batch ${rows}), got ${out.length}`);
  return out;
}

function randomRows(n: number, width: number, seed: number): number[][] {
  const d = randn([n, width], { seed, dtype: 'float64' }).data;
  return Array.from({ length: n }, (_, i) => Array.from(d.subarray(i * width, (i + 1) * width), (x) => +x.toFixed(2)));
}

function oneHot(classes: number[], k: number): number[][] {
  return classes.map((c) => (k === 1 ? [c] : Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

function classFlag(v: string, flag: string, k: number, n: number): number[] {
  const cs = v.split(/[;,]/).map((s) => Number(s));
  const top = k === 1 ? 1 : k - 1;
  if (cs.length !== n || cs.some((c) => !Number.isInteger(c) || c < 0 || c > top)) throw new UsageError(`${flag} ${v}: expected ${n} class index${n === 1 ? '' : 'es'} in 0..${top}`);
  return cs;
}

interface Problem { net: NetLike; X: number[][]; T: number[][]; loss: 'half-mse' | 'ce'; title?: string; note?: string }

/** A saved model and, where its data set is known, real rows of it (scaled as in training). */
function modelProblem(opts: ExplainFlags, n: number, seed: number, lossFlag: string | undefined): Problem {
  const path = requirePath(opts.model!, '--model');
  // A pipeline (model + preprocessing) saved by nabla train; any other model file explains on random rows.
  let meta: Pipeline | undefined;
  try { meta = loadPipeline(path); } catch { meta = undefined; }
  const model = meta?.model ?? loadModel(path).model;
  const net = netOfModule(model);
  const d = net.layers[0].weight.shape[0], k = net.layers[net.layers.length - 1].weight.shape[1];
  const classifier = meta?.task === 'classification';
  const loss = (lossFlag as 'half-mse' | 'ce' | undefined) ?? (classifier ? 'ce' : 'half-mse');
  let X: number[][] | undefined, classes: number[] | undefined, targets: number[][] | undefined, note: string | undefined;
  // Real rows of the data set the model was trained on, when nabla can load it.
  if (meta?.source && !opts.input && (!existsSync(meta.source) || meta.source.endsWith('.csv'))) {
    try {
      const ds = loadData(meta.source, { seed: (meta.summary?.seed as number | undefined) ?? 0 }).train;
      const x = meta.scaler ? meta.transform(ds.x) : ds.x;
      if (x.shape[1] === d) {
        // Rows spread evenly over the file, so that sorted data sets still show several classes.
        const N = x.shape[0], take = Math.min(n, N);
        const idx = Array.from({ length: take }, (_, i) => (take === 1 ? 0 : Math.round((i * (N - 1)) / (take - 1))));
        X = idx.map((r) => Array.from(x.data.subarray(r * d, (r + 1) * d)));
        if (classifier) classes = idx.map((r) => ds.y.data[r]);
        else targets = idx.map((r) => Array.from((ds.y as Tensor).data.subarray(r * k, (r + 1) * k)));
        note = `row${take === 1 ? '' : 's'} ${idx.map((r) => r + 1).join(', ')} of ${meta.source}${meta.scaler ? ' (scaled as in training)' : ''}`;
      }
    } catch { X = undefined; }
  }
  X ??= opts.input ? matrixFlag(opts.input, '--input', d) : randomRows(n, d, seed + 1);
  if (opts.target !== undefined) {
    if (loss === 'ce') classes = classFlag(opts.target, '--target', k, X.length);
    else targets = matrixFlag(opts.target, '--target', k, X.length);
  }
  if (loss === 'ce') {
    classes ??= new Array<number>(X.length).fill(0);
    const names = meta?.classNames;
    if (names) note = `${note ? `${note}; ` : ''}classes ${classes.map((c) => `${c} (${names[c] ?? c})`).join(', ')}`;
    return { net, X, T: oneHot(classes, k), loss, note };
  }
  return { net, X, T: targets ?? randomRows(X.length, k, seed + 2), loss, note };
}

/** The data note under the title's underline. */
function withNote(text: string, note?: string): string {
  if (!note) return text;
  const lines = text.split('\n');
  lines.splice(2, 0, `Data: ${note}.`);
  return lines.join('\n');
}

export function runExplain(opts: ExplainFlags, cmd: Command): void {
  const format = opts.markdown ? 'markdown' : 'text';
  const fromCli = (k: string) => cmd.getOptionValueSource(k) === 'cli';
  if (opts.scalar) {
    if (!scalarExamples.includes(opts.scalar as ScalarExample)) throw new UsageError(`--scalar ${opts.scalar}: use one of ${scalarExamples.join(', ')}`);
    process.stdout.write(explainScalar(opts.scalar as ScalarExample, { format }));
    return;
  }
  if (opts.loss !== 'half-mse' && opts.loss !== 'ce') throw new UsageError(`--loss ${opts.loss}: use half-mse or ce`);
  if (opts.convention !== 'row' && opts.convention !== 'column') throw new UsageError(`--convention ${opts.convention}: use row or column`);
  const l2 = floatOption(opts.l2, '--l2', 0);
  const seed = intOption(opts.seed, '--seed');
  const matrixForm = ['batch', 'l2', 'json', 'convention'].some(fromCli);
  const inputRows = opts.input?.split(';').length;
  const n = opts.batch !== undefined ? intOption(opts.batch, '--batch', 1) : inputRows ?? 1;
  if (!matrixForm && n > 1) throw new UsageError('--input with several rows needs the matrix form: add --batch');

  let p: Problem;
  if (opts.model) {
    p = modelProblem(opts, n, seed, fromCli('loss') ? opts.loss : undefined);
  } else {
    const notesNet = !['layers', 'activation', 'seed'].some(fromCli);
    let net: NetLike;
    if (notesNet) net = defaultExample().net;
    else {
      const sizes = listOption(opts.layers, '--layers');
      if (sizes.length < 2) throw new UsageError('--layers needs every size from input to output, e.g. 3,4,2');
      net = netOfModule(mlp(sizes, { activation: opts.activation, seed, dtype: 'float64' }));
    }
    const d = net.layers[0].weight.shape[0], k = net.layers[net.layers.length - 1].weight.shape[1];
    const ex = defaultExample();
    const X = opts.input ? matrixFlag(opts.input, '--input', d, opts.batch !== undefined ? n : undefined)
      : notesNet ? [ex.x, ...randomRows(n - 1, d, seed + 1)] : randomRows(n, d, seed + 1);
    const loss = opts.loss as 'half-mse' | 'ce';
    let T: number[][];
    if (loss === 'ce') T = oneHot(opts.target !== undefined ? classFlag(opts.target, '--target', k, X.length) : new Array<number>(X.length).fill(0), k);
    else if (opts.target !== undefined) T = matrixFlag(opts.target, '--target', k, X.length);
    else T = notesNet && !opts.input ? [ex.target, ...randomRows(n - 1, k, seed + 2)] : randomRows(X.length, k, seed + 2);
    p = { net, X, T, loss, title: notesNet && !matrixForm && loss === 'half-mse' ? `${NOTES_TITLE} on one example, L = ½‖ŷ − t‖²` : undefined };
  }
  if (!matrixForm) {
    const ce = p.loss === 'ce';
    const k = p.T[0].length;
    const target: number | number[] = ce && k > 1 ? p.T[0].indexOf(1) : p.T[0];
    const text = explain(p.net, p.X[0], target, { format, loss: p.loss, title: p.title });
    process.stdout.write(withNote(text, p.note));
    return;
  }
  const opt = { loss: p.loss, l2, convention: opts.convention as 'row' | 'column', format: format as 'text' | 'markdown' };
  if (opts.json) {
    const { record } = explainBatchTrace(p.net, p.X, p.T, opt);
    process.stdout.write(`${JSON.stringify(batchRecordForJson(record))}\n`);
    return;
  }
  const text = explainBatch(p.net, p.X, p.T, opt);
  process.stdout.write(withNote(text, p.note));
}
