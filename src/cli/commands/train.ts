// nabla train: load data, split it, fit the scaler on the training part only, build an MLP,
// fit it with a progress bar, report validation/test results and save the model atomically.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  evaluate, fit, MinMaxScaler, mlp, numClasses, numSamples, OPTIMIZER_DEFAULTS, ops, parseMemorySize, Pipeline, plotDecisionBoundary,
  plotHistory, predict, resolveLoss, Standardizer, tensor, trainTestSplitInPlace,
  type BatchStream, type Dataset, type EpochLogs, type FitData, type PipelineMeta,
} from '../../index.js';
import { defaultMemoryBudget, savePipeline, writeFileAtomic } from '../../node.js';
import { loadTrainingData, loadTestData, DATA_NAMES, DATA_PROTOCOLS, type TrainingData } from '../data-source.js';
import { createProgress } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { intOption, floatOption, listOption, requireWritableFile } from '../options.js';
import { addOptimizerFlags, optimizerFromFlags } from '../optimizer-flags.js';

interface TrainOptions {
  data?: string;
  label?: string;
  layers: string;
  activation: string;
  loss: string;
  optimizer: string;
  /** One per optimizer option (--lr, --momentum, --betas, ...): see optimizer-flags.ts. */
  [optimizerOption: string]: unknown;
  batchSize: string;
  epochs: string;
  l2?: string;
  seed: string;
  valSplit: string;
  test?: string;
  scale: string;
  missing: 'refuse' | 'impute';
  out: string;
  json?: boolean;
  quiet?: boolean;
  plot?: string;
  stream?: boolean;
  maxMemory?: string;
  sql?: string;
}

/** A classifier needs two classes at least; one class would "train" to a constant and predict nothing. */
function checkClasses(all: Dataset, loaded: TrainingData): void {
  if (all.task !== 'classification') return;
  const present = new Set(all.y.data);
  if (present.size >= 2) return;
  const column = loaded.schema?.labels[0] ?? 'label';
  const only = present.size === 0 ? undefined : [...present][0];
  const name = only === undefined ? undefined : all.classNames?.[only] ?? String(only);
  throw new UsageError(name === undefined
    ? `${loaded.source}: no rows to train on`
    : `only one class '${name}' in column '${column}': nothing to classify`);
}

/** An empty part would fail deep inside training ("no rows"); say which part, and what to change. */
function checkSplit(train: Dataset, val: Dataset | undefined, valSplit: number, total: number): void {
  if (val && numSamples(val) === 0) {
    throw new UsageError(`--val-split ${valSplit}: the validation split is empty (${total} rows in all); use a larger fraction, or --val-split 0 for none`);
  }
  if (numSamples(train) === 0) {
    throw new UsageError(`--val-split ${valSplit}: the training split is empty (${total} rows in all); use a smaller fraction`);
  }
}

/** What the loss and the output layer depend on: the task and the classes. */
type DataShape = Pick<Dataset, 'task' | 'classNames'> & { targets: number };

function shapeOf(ds: Dataset): DataShape {
  return { task: ds.task, classNames: ds.classNames ?? (ds.task === 'classification' ? Array.from({ length: numClasses(ds) }, (_, i) => String(i)) : undefined), targets: ds.task === 'regression' ? (ds.y.shape[1] ?? 1) : 1 };
}

function chooseLoss(flag: string, train: DataShape): string {
  const classes = train.task === 'classification';
  if (flag === 'auto') return classes ? 'crossEntropy' : 'mse';
  const name = flag === 'ce' ? 'crossEntropy' : flag === 'bce' ? 'bceWithLogits' : resolveLoss(flag);
  const forClasses = ['crossEntropy', 'nll', 'bce', 'bceWithLogits'].includes(name);
  if (!classes && forClasses) {
    throw new UsageError(`--loss ${flag} needs class labels but the label column holds numbers; use mse, halfSquaredError, mae or huber`);
  }
  // The network ends in raw logits, so of the classification losses only ce / bce (on logits) fit.
  if (classes && name !== 'crossEntropy' && name !== 'bceWithLogits') {
    throw new UsageError(`--loss ${flag} does not fit classes (the network outputs logits); use --loss ce or bce`);
  }
  if (name === 'bceWithLogits' && train.classNames!.length !== 2) {
    throw new UsageError(`--loss ${flag} needs exactly 2 classes, this data has ${train.classNames!.length}; use --loss ce`);
  }
  return name;
}

/** Targets shaped for the loss: class indices, a [n, 1] 0/1 column for one-logit BCE, or values. */
function targetsFor(ds: Dataset, loss: string): Dataset['y'] {
  return loss === 'bceWithLogits' ? ds.y.reshape(ds.y.shape[0], 1) : ds.y;
}

function outputsFor(train: DataShape, loss: string): number {
  if (train.task === 'regression') return train.targets;
  return loss === 'bceWithLogits' ? 1 : train.classNames!.length;
}

export function registerTrain(program: Command): void {
  const cmd = program.command('train')
    .description('train an MLP on a data set and save it (default: the embedded digits set)')
    .option('--data <name|file|dir>', `data: ${DATA_NAMES.join(', ')}, a CSV file, or a folder of IDX files (pattern-ab follows the lecture's protocol: --val-split 0 --batch-size 0 --epochs 300 --lr 0.01 unless set)`)
    .option('--label <column>', 'label column of a CSV file, by name or 0-based index (default: label/target/class/... or the last)')
    .option('--layers <sizes>', 'hidden layer sizes, comma-separated', '64,32')
    .option('--activation <name>', `hidden activation: ${ops.hiddenActivationNames().join(', ')}`, 'relu')
    .option('--loss <name>', 'auto, ce, bce, mse, halfSquaredError, mae, huber', 'auto')
    .option('--batch-size <n>', 'rows per update (1 = online, 0 = the whole set per update)', '32')
    .option('--epochs <n>', 'passes over the training data', '20')
    .option('--l2 <lambda>', "λ of the L2 penalty λ/2·Σ‖W‖² (the notes' J = L + s)")
    .option('--seed <n>', 'seed for initialisation, splitting and shuffling', '0')
    .option('--val-split <fraction>', 'fraction held out for validation', '0.2')
    .option('--test <file|dir>', 'a held-out test set, encoded like the training data')
    .option('--scale <how>', 'feature scaling fitted on the training part: auto, standard, minmax, none', 'auto')
    .option('--missing <policy>', 'missing CSV values: refuse or impute', 'refuse')
    .option('--stream', 'read CSV / Parquet data from disk each epoch instead of loading it (automatic above --max-memory)')
    .option('--max-memory <size>', 'memory the data may take, e.g. 512M or 2G (default: 1G or a quarter of the machine\'s memory, whichever is smaller)')
    .option('--sql <query>', "a DuckDB query over --data (Parquet files or a glob), which it names 'data': \"SELECT ... FROM data WHERE ...\"")
    .option('--out <file>', 'where to save the model', 'model.nabla')
    .option('--plot <file.svg>', 'also write the training history as an SVG plot')
    .option('--json', 'print one JSON summary as the last line of stdout')
    .option('--quiet', 'no progress output');
  addOptimizerFlags(cmd, 'adam').action(async (opts: TrainOptions, command: Command) => {
    // A built-in set's own protocol fills in the flags the user left at their general defaults.
    const protocol = opts.data ? DATA_PROTOCOLS[opts.data] : undefined;
    if (protocol) {
      for (const [k, v] of Object.entries(protocol.defaults)) {
        if (command.getOptionValueSource(k) !== 'cli') (opts as unknown as Record<string, string>)[k] = v;
      }
    }
    return runTrain(opts, protocol?.note);
  });
}

export async function runTrain(opts: TrainOptions, protocolNote?: string): Promise<void> {
  const seed = intOption(opts.seed, '--seed');
  const epochs = intOption(opts.epochs, '--epochs', 1);
  const batchFlag = intOption(opts.batchSize, '--batch-size', 0);
  const valSplit = floatOption(opts.valSplit, '--val-split', 0, 0.95);
  const layers = listOption(opts.layers, '--layers');
  const l2 = opts.l2 === undefined ? undefined : floatOption(opts.l2, '--l2', 0);
  if (!['auto', 'standard', 'minmax', 'none'].includes(opts.scale)) throw new UsageError(`--scale ${opts.scale}: use auto, standard, minmax or none`);
  if (opts.missing !== 'refuse' && opts.missing !== 'impute') throw new UsageError(`--missing ${opts.missing}: use refuse or impute`);
  const chosen = optimizerFromFlags(opts);
  requireWritableFile(opts.out, '--out');
  if (opts.plot !== undefined) requireWritableFile(opts.plot, '--plot');

  let maxMemory = defaultMemoryBudget();
  if (opts.maxMemory !== undefined) {
    try { maxMemory = parseMemorySize(opts.maxMemory); } catch (e) { throw new UsageError(`--max-memory ${opts.maxMemory}: ${(e as Error).message.replace(/^memory size "[^"]*":? ?/, '')}`); }
  }
  const loaded = await loadTrainingData(opts.data, {
    label: opts.label, seed, missing: opts.missing, maxMemory, stream: !!opts.stream, sql: opts.sql,
  });
  try {
    await trainOn(loaded, opts, { seed, epochs, batchFlag, valSplit, layers, l2, chosen, protocolNote });
  } finally {
    loaded.close?.();
  }
}

interface Parsed { seed: number; epochs: number; batchFlag: number; valSplit: number; layers: number[]; l2?: number; chosen: ReturnType<typeof optimizerFromFlags>; protocolNote?: string }

async function trainOn(loaded: TrainingData, opts: TrainOptions, p: Parsed): Promise<void> {
  const { seed, epochs, batchFlag, valSplit, layers, l2, chosen, protocolNote } = p;
  const all = loaded.train;
  if (all) checkClasses(all, loaded);
  const table = loaded.stream;
  const shape: DataShape = all ? shapeOf(all) : { task: table!.info.task, classNames: table!.info.classNames, targets: table!.info.k };
  const featureNames = all ? all.featureNames : table!.info.featureNames;
  const loss = chooseLoss(opts.loss, shape);
  const stratify = shape.task === 'classification';
  let test = opts.test ? loadTestData(opts.test, loaded) : loaded.test;
  if (test && numSamples(test) === 0) throw new UsageError(`${opts.test ? `--test ${opts.test}` : `${loaded.source}`}: the test split is empty`);

  // Images are already in [0, 1]; tabular data is standardised unless told otherwise.
  const scaleKind = opts.scale === 'auto' ? (loaded.schema ? 'standard' : 'none') : opts.scale;
  const scaler = scaleKind === 'standard' ? new Standardizer() : scaleKind === 'minmax' ? new MinMaxScaler() : undefined;
  let train: Dataset | undefined, val: Dataset | undefined;
  let trainData: FitData | BatchStream, valData: FitData | BatchStream | undefined;
  let n: number, batchSize: number, d: number;
  if (all) {
    // In place: the rows are split and scaled where they lie, never copied.
    train = all;
    if (valSplit > 0) ({ train, test: val } = trainTestSplitInPlace(all, { testSize: valSplit, seed, stratify }));
    checkSplit(train, val, valSplit, numSamples(all));
    if (scaler) {
      scaler.fit(train.x);
      scaler.transformRowsInPlace(all.x.data as Float32Array, numSamples(all));
      if (test) test = scaler.transformDataset(test);
    }
    n = numSamples(train);
    batchSize = batchFlag === 0 ? n : batchFlag;
    d = train.x.shape[1];
    trainData = { x: train.x, y: targetsFor(train, loss) };
    valData = val && { x: val.x, y: targetsFor(val, loss) };
  } else {
    if (batchFlag === 0) throw new UsageError('--batch-size 0 (the whole set per update) needs the data in memory; give a batch size to stream');
    if (scaler) await table!.fitScaler(scaler, { validation: valSplit, seed });
    if (test) test = scaler ? scaler.transformDataset(test) : test;
    batchSize = batchFlag;
    const common = { validation: valSplit, seed, batchSize, scaler, targetColumn: loss === 'bceWithLogits' };
    trainData = table!.batches({ ...common, part: 'train' });
    valData = valSplit > 0 ? table!.batches({ ...common, part: 'validation' }) : undefined;
    n = trainData.numRows ?? 0;
    if (n === 0) throw new UsageError(`--val-split ${valSplit} leaves no training rows`);
    if (valSplit > 0 && (valData!.numRows ?? 0) === 0) throw new UsageError(`--val-split ${valSplit} holds out no rows of ${table!.info.n}; raise it or pass --val-split 0`);
    d = table!.info.d;
  }
  const sizes = [d, ...layers, outputsFor(shape, loss)];
  const model = mlp(sizes, { activation: opts.activation, seed });
  const optimizer = chosen.name;
  const optimizerOptions = chosen.options;
  const lr = (optimizerOptions.lr as number | undefined) ?? OPTIMIZER_DEFAULTS[optimizer].lr;
  const classification = shape.task === 'classification';
  const metrics = classification ? ['accuracy'] : ['rmse'];

  const progress = createProgress(process.stderr, !!opts.quiet);
  const started = performance.now();
  const history = await fit(model, Object.assign(trainData, { task: shape.task }), {
    epochs, batchSize, seed, loss, optimizer, lr, optimizerOptions, l2, metrics,
    validationData: valData,
    callbacks: {
      // fit counts epochs from 0 (as Keras does); people count from 1.
      onBatchEnd: (_b, l) => progress.batch(l.epoch + 1, l.batch + 1, l.numBatches, l.loss, l.samplesPerSec),
      onEpochEnd: (epoch, l: EpochLogs) => progress.epochEnd({
        epoch: epoch + 1, epochs, loss: l.loss, accuracy: l.accuracy, valLoss: l.val_loss, valAccuracy: l.val_accuracy, samplesPerSecond: l.samplesPerSec,
      }),
    },
  });
  progress.stop();
  const seconds = (performance.now() - started) / 1000;

  const last = (k: string) => { const a = history[k]; return a && a.length ? a[a.length - 1] : undefined; };
  const summary: Record<string, unknown> = {
    data: loaded.source, rows: n, epochs, train_loss: last('loss'), seconds,
    samples_per_second: (n * epochs) / seconds, optimizer, lr, batch_size: batchSize, layers: sizes,
    activation: opts.activation, loss, seed, val_split: valSplit, ...(table ? { streamed: true } : {}),
  };
  if (valData) {
    summary.val_loss = last('val_loss');
    if (classification) summary.val_accuracy = last('val_accuracy');
    else summary.val_rmse = last('val_rmse');
  }
  // Without a validation part, say how well the training rows themselves are fitted.
  if (!valData && classification && train) {
    const r = evaluate(model, { x: train.x, y: targetsFor(train, loss), task: train.task }, { loss, metrics });
    summary.train_accuracy = r.accuracy;
  }
  if (protocolNote) summary.protocol = protocolNote;
  if (test) {
    const r = evaluate(model, { x: test.x, y: targetsFor(test, loss), task: test.task }, { loss, metrics });
    summary.test_loss = r.loss;
    if (classification) summary.test_accuracy = r.accuracy;
    else summary.test_rmse = r.rmse;
  }
  const meta: PipelineMeta = {
    task: shape.task, loss, featureNames, source: loaded.source, summary,
    ...(shape.classNames && shape.task === 'classification' ? { classNames: shape.classNames } : {}),
    ...(loaded.schema ? { schema: loaded.schema } : {}),
    ...(scaler ? { scaler: scaler.toJSON() } : {}),
  };
  const pipeline = new Pipeline(model, meta);
  savePipeline(opts.out, pipeline, { history });
  summary.model = resolve(opts.out);
  if (opts.plot) {
    writeFileAtomic(opts.plot, new TextEncoder().encode(plotHistory({ ...history, loss: history.loss })));
    // Two input features: also the decision boundary, in the (scaled) space the model sees.
    if (classification && d === 2 && train) summary.boundary_plot = writeBoundary(opts.plot, pipeline, train);
  }

  const pct = (v: unknown) => `${(100 * (v as number)).toFixed(2)}%`;
  const lines = [`trained ${loaded.source}: ${n} rows, ${epochs} epochs in ${seconds.toFixed(1)} s (${Math.round(summary.samples_per_second as number).toLocaleString('en-US')} samples/s)`];
  if (summary.train_accuracy !== undefined) lines.push(`training accuracy ${pct(summary.train_accuracy)} on all ${n} rows${protocolNote ? ` (${protocolNote})` : ' (no validation split)'}`);
  if (valData) lines.push(classification ? `validation accuracy ${pct(summary.val_accuracy)} (loss ${(summary.val_loss as number).toFixed(4)})` : `validation RMSE ${(summary.val_rmse as number).toPrecision(4)}`);
  if (test) lines.push(classification ? `test accuracy ${pct(summary.test_accuracy)}` : `test RMSE ${(summary.test_rmse as number).toPrecision(4)}`);
  lines.push(`saved ${opts.out}`);
  if (!opts.quiet || !opts.json) process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

function writeBoundary(historyPath: string, pipeline: Pipeline, train: Dataset): string {
  const path = historyPath.replace(/(\.svg)?$/i, '-boundary.svg');
  const { model } = pipeline;
  // The points are already in the scaled space the model sees, so the scaler is not applied again.
  const probs = (points: number[][]) => pipeline.probabilitiesOf(predict(model, tensor(points, { dtype: model.parameters()[0].dtype })));
  writeFileAtomic(path, new TextEncoder().encode(plotDecisionBoundary(probs, { x: train.x, y: train.y }, { title: 'decision boundary (training data)' })));
  return resolve(path);
}
