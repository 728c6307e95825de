// nabla eval / predict / info: use a saved pipeline (model + preprocessing) on new data.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { Pipeline, Standardizer, trainTestSplit, type Dataset, type PipelineMeta } from '../../index.js';
import { loadIdxDir, loadModel, loadPipeline, readDataFile, writeFileAtomic } from '../../node.js';
import { loadData } from '../data-source.js';
import { requirePath, requireWritableFile } from '../options.js';

/**
 * Data for eval: a CSV file (encoded as in training), an IDX folder (its test split), or a
 * built-in set: its test split, or for the set the model was trained on, the same validation part
 * that training held out (the rest was trained on).
 */
function evalData(data: string, p: Pipeline): { rows: Dataset | Uint8Array; note?: string } {
  if (existsSync(data) && statSync(data).isFile()) return { rows: readDataFile(data) };
  if (existsSync(data) && statSync(data).isDirectory()) return { rows: loadIdxDir(data, 'test') };
  const { seed, val_split: valSplit } = (p.summary ?? {}) as { seed?: number; val_split?: number };
  const loaded = loadData(data, { seed: seed ?? 0 });
  if (loaded.test) return { rows: loaded.test };
  if (data === p.source && valSplit) {
    const { test } = trainTestSplit(loaded.train, { testSize: valSplit, seed, stratify: p.task === 'classification' });
    return { rows: test, note: 'the validation part held out in training' };
  }
  return { rows: loaded.train, note: 'all rows, including any the model was trained on' };
}

export function registerModelCommands(program: Command): void {
  program.command('eval')
    .description('evaluate a saved model on labelled data')
    .requiredOption('--model <file>', 'a model saved by nabla train')
    .requiredOption('--data <file|dir|name>', 'labelled data: a CSV file, an IDX folder (test split) or a built-in set (its test split, or the validation part held out when the model was trained on it)')
    .option('--json', 'print one JSON object as the last line')
    .action((opts: { model: string; data: string; json?: boolean }) => {
      const p = loadPipeline(requirePath(opts.model, '--model'));
      const picked = evalData(opts.data, p);
      const r = p.evaluate(picked.rows, opts.data);
      const out = { ...r, ...(picked.note ? { rows_are: picked.note } : {}) };
      const classification = p.task === 'classification';
      if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else process.stdout.write(`${r.rows} rows${picked.note ? ` (${picked.note})` : ''}: loss ${r.loss.toFixed(4)}${classification ? `, accuracy ${(100 * r.accuracy!).toFixed(2)}%` : `, RMSE ${r.rmse!.toPrecision(4)}, R² ${r.r2!.toFixed(4)}`}\n`);
    });

  program.command('predict')
    .description('predict classes (with probabilities) or values for new rows of a CSV file')
    .requiredOption('--model <file>', 'a model saved by nabla train or nabla import')
    .requiredOption('--input <file>', 'CSV with the training columns (the label column may be absent)')
    .option('--output <file>', 'write the predictions CSV here (default: stdout)')
    .action((opts: { model: string; input: string; output?: string }) => {
      if (opts.output !== undefined) requireWritableFile(opts.output, '--output');
      const p = loadPipeline(requirePath(opts.model, '--model'));
      const csv = p.predict(readDataFile(requirePath(opts.input, '--input')), opts.input).toCsv();
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
      const meta = file.meta as PipelineMeta | undefined;
      if (meta?.summary) {
        lines.push(meta.summary.imported_from ? 'import summary:' : 'training summary:');
        for (const [k, v] of Object.entries(meta.summary)) lines.push(`  ${k.padEnd(20)} ${Array.isArray(v) ? v.join('-') : typeof v === 'number' ? +v.toPrecision(6) : v}`);
      }
      try {
        const p = Pipeline.fromModelFile(file, opts.model);
        const scaling = p.scaler ? (p.scaler instanceof Standardizer ? 'standardised' : 'min-max scaled') : 'not scaled';
        lines.push(`pipeline: ${p.task}, ${p.inputWidth} input features (${scaling}), outputs ${p.outputs}, loss ${p.loss}`);
        lines.push(`features: ${p.featureNames.length > 12 ? `${p.featureNames.slice(0, 12).join(', ')}, ... (${p.featureNames.length})` : p.featureNames.join(', ')}`);
        if (p.task === 'classification' && p.classNames) lines.push(`classes: ${p.classNames.join(', ')}`);
      } catch {
        lines.push('pipeline: none (a bare model: no task or feature description, so eval and predict cannot use it)');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
