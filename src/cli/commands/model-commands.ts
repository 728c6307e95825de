// nabla eval / predict / info: use a saved model on new data, encoded and scaled as in training.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Dataset } from '../../data/dataset.js';
import { applyCsvSchemaFile, loadIdxDir } from '../../data/read-files.js';
import { loadModel } from '../../io/disk.js';
import { evaluate, predict } from '../../train/evaluate.js';
import type { Tensor } from '../../tensor/tensor.js';
import { loadData } from '../data-source.js';
import { checkWidth, probabilities, readMeta, scalerOf, targetsFor, type CliMeta } from '../model-meta.js';
import { requirePath } from '../options.js';
import { trainTestSplit } from '../../data/preprocess.js';
import { UsageError } from '../usage-error.js';
import { writeFileAtomic } from '../../io/disk.js';

function openModel(path: string) {
  const file = loadModel(requirePath(path, '--model'));
  return { file, meta: readMeta(file, path) };
}

/**
 * Data for eval: a CSV encoded with the model's schema, an IDX folder (its test split), or a
 * built-in set: its test split, or for the set the model was trained on, the same validation part
 * that training held out (the rest was trained on).
 */
function evalData(data: string, meta: CliMeta): { ds: Dataset; note?: string } {
  if (existsSync(data) && statSync(data).isFile() && meta.schema) {
    const enc = applyCsvSchemaFile(data, meta.schema);
    if (!enc.dataset) throw new UsageError(`--data ${data}: the file has no label column '${meta.schema.labels.join(', ')}' to evaluate against`);
    return { ds: enc.dataset };
  }
  if (existsSync(data) && statSync(data).isDirectory()) return { ds: loadIdxDir(data, 'test') };
  const { seed, val_split: valSplit } = meta.summary as { seed?: number; val_split?: number };
  const loaded = loadData(data, { seed: seed ?? 0 });
  if (loaded.test) return { ds: loaded.test };
  if (data === meta.source && valSplit) {
    const { test } = trainTestSplit(loaded.train, { testSize: valSplit, seed, stratify: meta.task === 'classification' });
    return { ds: test, note: 'the validation part held out in training' };
  }
  return { ds: loaded.train, note: 'all rows, including any the model was trained on' };
}

export function registerModelCommands(program: Command): void {
  program.command('eval')
    .description('evaluate a saved model on labelled data')
    .requiredOption('--model <file>', 'a model saved by nabla train')
    .requiredOption('--data <file|dir|name>', 'labelled data: a CSV file, an IDX folder (test split) or a built-in set (its test split, or the validation part held out when the model was trained on it)')
    .option('--json', 'print one JSON object as the last line')
    .action((opts: { model: string; data: string; json?: boolean }) => {
      const { file, meta } = openModel(opts.model);
      const picked = evalData(opts.data, meta);
      let ds = picked.ds;
      checkWidth(meta, ds.x.shape[1], opts.model, opts.data);
      const scaler = scalerOf(meta);
      if (scaler) ds = scaler.transformDataset(ds);
      const classification = meta.task === 'classification';
      const r = evaluate(file.model, { x: ds.x, y: targetsFor(ds, meta.loss), task: ds.task }, { loss: meta.loss, metrics: classification ? ['accuracy'] : ['rmse', 'mae', 'r2'] });
      const out = { rows: ds.x.shape[0], ...r, ...(picked.note ? { rows_are: picked.note } : {}) };
      if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else process.stdout.write(`${ds.x.shape[0]} rows${picked.note ? ` (${picked.note})` : ''}: loss ${r.loss.toFixed(4)}${classification ? `, accuracy ${(100 * r.accuracy).toFixed(2)}%` : `, RMSE ${r.rmse.toPrecision(4)}, R² ${r.r2.toFixed(4)}`}\n`);
    });

  program.command('predict')
    .description('predict classes (with probabilities) or values for new rows of a CSV file')
    .requiredOption('--model <file>', 'a model saved by nabla train on CSV data')
    .requiredOption('--input <file>', 'CSV with the training columns (the label column may be absent)')
    .option('--output <file>', 'write the predictions CSV here (default: stdout)')
    .action((opts: { model: string; input: string; output?: string }) => {
      const { file, meta } = openModel(opts.model);
      if (!meta.schema) throw new UsageError(`${opts.model} was not trained on CSV data; predict reads CSV input`);
      const enc = applyCsvSchemaFile(requirePath(opts.input, '--input'), meta.schema);
      checkWidth(meta, enc.x.shape[1], opts.model, opts.input);
      const scaler = scalerOf(meta);
      const x = scaler ? scaler.transform(enc.x) : enc.x;
      const out = predict(file.model, x);
      const csv = predictionsCsv(out, meta);
      if (opts.output) writeFileAtomic(opts.output, new TextEncoder().encode(csv));
      else process.stdout.write(csv);
    });

  program.command('info')
    .description('show a saved model: architecture, parameter count, training summary')
    .requiredOption('--model <file>', 'a model file')
    .option('--json', 'print JSON')
    .action((opts: { model: string; json?: boolean }) => {
      const file = loadModel(requirePath(opts.model, '--model'));
      const params = file.model.numParameters();
      const info = { file: opts.model, version: file.version, architecture: file.architecture, parameters: params, meta: file.meta ?? null };
      if (opts.json) { process.stdout.write(`${JSON.stringify(info)}\n`); return; }
      const lines = [`${opts.model}: nabla model file v${file.version}, ${params.toLocaleString('en-US')} parameters`];
      for (const [name, p] of file.model.namedParameters()) lines.push(`  ${name.padEnd(20)} [${p.shape.join(', ')}] ${p.dtype}`);
      const meta = file.meta as Partial<CliMeta> | undefined;
      if (meta?.summary) {
        lines.push('training summary:');
        for (const [k, v] of Object.entries(meta.summary)) lines.push(`  ${k.padEnd(20)} ${Array.isArray(v) ? v.join('-') : typeof v === 'number' ? +v.toPrecision(6) : v}`);
      }
      if (meta?.classNames) lines.push(`classes: ${meta.classNames.join(', ')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** prediction,p_<class>... for classification; one column per output for regression. */
function predictionsCsv(out: Tensor, meta: CliMeta): string {
  const n = out.shape[0], k = out.size / n;
  const rows: string[] = [];
  if (meta.task === 'classification') {
    const oneLogit = k === 1;
    const probs = probabilities(out);
    const names = meta.classNames ?? Array.from({ length: oneLogit ? 2 : k }, (_, i) => String(i));
    rows.push(['prediction', ...names.map((c) => `p_${c}`)].map(csvCell).join(','));
    for (let i = 0; i < n; i++) {
      const p = oneLogit ? [1 - probs.data[i], probs.data[i]] : Array.from(probs.data.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
      rows.push([csvCell(names[best]), ...p.map((v) => v.toPrecision(6))].join(','));
    }
  } else {
    const labels = meta.schema?.labels ?? Array.from({ length: k }, (_, i) => `y${i}`);
    rows.push(labels.map((l) => csvCell(`predicted_${l}`)).join(','));
    for (let i = 0; i < n; i++) rows.push(Array.from(out.data.subarray(i * k, (i + 1) * k), (v) => v.toPrecision(7)).join(','));
  }
  return `${rows.join('\n')}\n`;
}

