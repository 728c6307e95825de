// Pipeline: a model together with everything that turns raw rows into its inputs and its outputs
// into answers: the CSV encoding (feature columns, category levels, imputed values), the fitted
// scaler, the task, the loss it was trained with and the class names. `nabla predict`, `eval`,
// `info` and `export` all go through this type, so a library user gets exactly what the CLI gives.
import { ConfigError, ParseError, ShapeError } from '../errors.js';
import type { CsvTable } from '../data/csv-reader.js';
import { readCsv } from '../data/csv-reader.js';
import { applyCsvSchemaToTable, type EncodedCsv } from '../data/csv.js';
import { checkCsvSchema, encodedWidth, type CsvSchema } from '../data/csv-schema.js';
import type { Dataset, Task } from '../data/dataset.js';
import { scalerFromJSON, Standardizer, type MinMaxScaler, type ScalerJSON } from '../data/preprocess.js';
import { deserializeModel, serializeModel, type ModelFile, type SaveOptions } from '../io/model-file.js';
import { Activation } from '../nn/activations.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { tensor } from '../tensor/creation.js';
import { exp, sigmoid } from '../tensor/ops/elementwise.js';
import { softmax } from '../tensor/ops/softmax.js';
import { Tensor } from '../tensor/tensor.js';
import { evaluate, predict as forwardAll } from '../train/evaluate.js';
import { Predictions } from './predictions.js';

/**
 * What the model's forward pass returns: raw logits (nabla-trained classifiers), probabilities or
 * log-probabilities (a graph that ends in Softmax / Sigmoid / LogSoftmax, as imported), or values.
 */
export type PipelineOutputs = 'logits' | 'probabilities' | 'logProbabilities' | 'values';
const OUTPUTS: readonly PipelineOutputs[] = ['logits', 'probabilities', 'logProbabilities', 'values'];

/** The pipeline's JSON form, stored as the meta of a nabla model file. A type alias (not an interface) so it fits the meta record. */
export type PipelineMeta = {
  task: Task;
  /** The loss on the model's logits: 'crossEntropy' (k logits), 'bceWithLogits' (one logit) or a regression loss. */
  loss: string;
  /** One name per input column of the model (one-hot columns are `column=level`). */
  featureNames: string[];
  /** Class i's name (classification). */
  classNames?: string[];
  /** How CSV rows become inputs; absent for models not trained on CSV (then columns are taken by position). */
  schema?: CsvSchema;
  /** The scaler fitted on the training inputs. */
  scaler?: ScalerJSON;
  /** Default: 'logits' for classification, 'values' for regression. */
  outputs?: PipelineOutputs;
  /** Label column name(s) in CSV input when there is no schema (default ['label']). */
  labels?: string[];
  /** Where the model came from (a data set, a CSV file, an ONNX file). */
  source?: string;
  /** Training summary (nabla train) or import details. */
  summary?: Record<string, unknown>;
};

/** Rows to predict on: CSV text or bytes (with a header), records keyed by column name, or encoded feature rows [n, d]. */
export type PipelineRows = string | Uint8Array | Tensor | readonly Record<string, unknown>[] | readonly (readonly number[])[];

export interface PipelineEvaluation {
  rows: number;
  loss: number;
  /** Classification. */
  accuracy?: number;
  /** Regression. */
  rmse?: number;
  mae?: number;
  r2?: number;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A pipeline's meta read back from JSON, checked so that a bad file fails on load, not mid-predict. */
export function checkPipelineMeta(json: unknown, source = '<model>'): PipelineMeta {
  const m = json as Partial<PipelineMeta> | null | undefined;
  if (!m || typeof m !== 'object' || (m.task !== 'classification' && m.task !== 'regression') || !strings(m.featureNames)) {
    throw new ConfigError(`${source}: not a pipeline (a model saved by 'nabla train' or 'nabla import': its meta has no task and feature names)`);
  }
  const bad = (what: string): never => { throw new ConfigError(`${source}: pipeline meta: ${what}`); };
  if (typeof m.loss !== 'string') bad('loss must be a loss name');
  if (m.classNames !== undefined && !strings(m.classNames)) bad('classNames must be strings');
  if (m.task === 'classification' && m.classNames && m.classNames.length < 2) bad(`a classifier needs at least 2 classes, got ${m.classNames.length}`);
  if (m.outputs !== undefined && !OUTPUTS.includes(m.outputs)) bad(`outputs must be one of ${OUTPUTS.join(', ')}`);
  if (m.labels !== undefined && (!strings(m.labels) || m.labels.length === 0)) bad('labels must be column names');
  if (m.schema) {
    try { checkCsvSchema(m.schema); } catch (e) { bad((e as Error).message); }
    if (encodedWidth(m.schema) !== m.featureNames.length) bad(`the CSV schema gives ${encodedWidth(m.schema)} columns but there are ${m.featureNames.length} feature names`);
  }
  if (m.scaler) {
    let width = 0;
    try { const s = scalerFromJSON(m.scaler); width = s instanceof Standardizer ? s.mean.length : s.min.length; } catch (e) { bad((e as Error).message); }
    if (width !== m.featureNames.length) bad(`the scaler was fitted on ${width} columns but there are ${m.featureNames.length} feature names`);
  }
  return m as PipelineMeta;
}

export class Pipeline {
  readonly model: Module;
  readonly task: Task;
  readonly loss: string;
  readonly featureNames: readonly string[];
  readonly classNames?: readonly string[];
  readonly schema?: CsvSchema;
  readonly scaler?: Standardizer | MinMaxScaler;
  readonly outputs: PipelineOutputs;
  /** Label column name(s) in CSV input. */
  readonly labels: readonly string[];
  readonly source?: string;
  readonly summary?: Record<string, unknown>;

  constructor(model: Module, meta: PipelineMeta) {
    const m = checkPipelineMeta(meta, 'Pipeline');
    this.model = model;
    this.task = m.task;
    this.loss = m.loss;
    this.featureNames = [...m.featureNames];
    if (m.classNames) this.classNames = [...m.classNames];
    if (m.schema) this.schema = m.schema;
    if (m.scaler) this.scaler = scalerFromJSON(m.scaler);
    this.outputs = m.outputs ?? (m.task === 'classification' ? 'logits' : 'values');
    if ((this.outputs === 'values') !== (this.task === 'regression')) {
      throw new ConfigError(`Pipeline: outputs '${this.outputs}' do not fit a ${this.task} task`);
    }
    this.labels = m.schema?.labels ?? m.labels ?? ['label'];
    if (m.source !== undefined) this.source = m.source;
    if (m.summary !== undefined) this.summary = m.summary;
  }

  /** The pipeline stored in a model file (its meta); `source` names the file in errors. */
  static fromModelFile(file: ModelFile, source = '<model>'): Pipeline {
    return new Pipeline(file.model, checkPipelineMeta(file.meta, source));
  }

  /** A pipeline from a model file's bytes (browser-safe; in Node, loadPipeline reads a path). */
  static fromBytes(bytes: Uint8Array, source = '<bytes>'): Pipeline {
    return Pipeline.fromModelFile(deserializeModel(bytes, source), source);
  }

  /** The model file's bytes, with this pipeline as its meta. */
  toBytes(opts: Omit<SaveOptions, 'meta'> = {}): Uint8Array {
    return serializeModel(this.model, { ...opts, meta: this.toMeta() });
  }

  toMeta(): PipelineMeta {
    return {
      task: this.task, loss: this.loss, featureNames: [...this.featureNames], outputs: this.outputs,
      ...(this.classNames ? { classNames: [...this.classNames] } : {}),
      ...(this.schema ? { schema: this.schema } : { labels: [...this.labels] }),
      ...(this.scaler ? { scaler: this.scaler.toJSON() } : {}),
      ...(this.source !== undefined ? { source: this.source } : {}),
      ...(this.summary !== undefined ? { summary: this.summary } : {}),
    };
  }

  /** Number of input columns the model takes. */
  get inputWidth(): number { return this.featureNames.length; }

  /** Column names of the probabilities (classification): the class names, else 0..k-1. */
  classNamesOrIndices(k: number): string[] {
    return this.classNames ? [...this.classNames] : Array.from({ length: k }, (_, i) => String(i));
  }

  /**
   * Rows as the model's unscaled inputs x [n, d] (and the dataset when the label columns are there).
   * CSV and records are encoded with the stored schema; without one, by column name when the
   * feature names are all present, else by position (all columns but the label).
   */
  encode(rows: PipelineRows, source = '<rows>'): EncodedCsv {
    if (rows instanceof Tensor || (Array.isArray(rows) && (rows.length === 0 || Array.isArray(rows[0])))) {
      const x = rows instanceof Tensor ? rows : tensor(rows as number[][]);
      if (x.ndim !== 2 || x.shape[0] === 0) throw new ShapeError(`${source}: expected encoded rows [n, ${this.inputWidth}] with n > 0, got [${x.shape.join(', ')}]`);
      this.checkWidth(x.shape[1], source);
      return { x, lines: Array.from({ length: x.shape[0] }, (_, i) => i + 1) };
    }
    const table = typeof rows === 'string' || rows instanceof Uint8Array
      ? readCsv(rows, { source, delimiter: this.schema?.delimiter ?? ',' })
      : recordsTable(rows as readonly Record<string, unknown>[], source);
    const enc = applyCsvSchemaToTable(table, this.schemaFor(table), { name: source });
    this.checkWidth(enc.x.shape[1], source);
    return enc;
  }

  /** Apply the fitted scaler (the identity when there is none). */
  transform(x: Tensor): Tensor {
    this.checkWidth(x.shape[1], 'input');
    return this.scaler ? this.scaler.transform(x) : x;
  }

  /** The model's raw outputs (see `outputs`) for rows. */
  forward(rows: PipelineRows, source = '<rows>'): Tensor {
    return forwardAll(this.model, this.transform(this.encode(rows, source).x));
  }

  /** Class probabilities [n, classes], in class-index order (a one-logit model gives [1 - p, p]). */
  predictProba(rows: PipelineRows, source = '<rows>'): Tensor {
    return this.probabilitiesOf(this.forward(rows, source));
  }

  /** Predicted classes with probabilities, or predicted values: what `nabla predict` writes. */
  predict(rows: PipelineRows, source = '<rows>'): Predictions {
    const out = this.forward(rows, source);
    if (this.task === 'regression') {
      const targets = this.schema?.labels ?? (this.labels.length === out.shape[1] ? this.labels : Array.from({ length: out.shape[1] }, (_, i) => `y${i}`));
      return new Predictions({ task: 'regression', outputs: out, values: out, targets: [...targets] });
    }
    const probabilities = this.probabilitiesOf(out);
    const [n, k] = probabilities.shape;
    const names = this.classNamesOrIndices(k);
    if (names.length !== k) throw new ShapeError(`the model gives ${k} class probabilities but the pipeline names ${names.length} classes`);
    const classes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (probabilities.data[i * k + j] > probabilities.data[i * k + best]) best = j;
      classes[i] = best;
    }
    return new Predictions({ task: 'classification', outputs: out, probabilities, classes, labels: Array.from(classes, (c) => names[c]), classNames: names });
  }

  /** Loss (the training loss) and metrics on labelled rows: accuracy, or RMSE, MAE and R². */
  evaluate(rows: PipelineRows | Dataset, source = '<rows>'): PipelineEvaluation {
    let ds: Dataset;
    if (isDataset(rows)) {
      ds = rows;
      this.checkWidth(ds.x.shape[1], source);
    } else {
      const enc = this.encode(rows, source);
      if (!enc.dataset) throw new ParseError(`${source}: no label column ${this.labels.map((l) => `'${l}'`).join(', ')} to evaluate against`, source);
      ds = enc.dataset;
    }
    if (ds.x.shape[0] === 0) throw new ShapeError(`${source}: no rows to evaluate`);
    const x = this.transform(ds.x);
    const classification = this.task === 'classification';
    const y = this.loss === 'bceWithLogits' ? ds.y.reshape(ds.y.shape[0], 1) : ds.y;
    const r = evaluate(this.logitsModel(), { x, y, task: ds.task }, { loss: this.loss, metrics: classification ? ['accuracy'] : ['rmse', 'mae', 'r2'] });
    return { rows: ds.x.shape[0], ...r } as PipelineEvaluation;
  }

  /** Probabilities from raw outputs, by what the model outputs. */
  probabilitiesOf(out: Tensor): Tensor {
    if (this.task !== 'classification') throw new ConfigError('a regression pipeline predicts values, not class probabilities');
    let p: Tensor;
    if (this.outputs === 'logits') p = out.shape[1] === 1 ? sigmoid(out) : softmax(out);
    else if (this.outputs === 'logProbabilities') p = exp(out);
    else p = out;
    if (p.shape[1] !== 1) return p;
    // One output is P(class 1); class 0 gets its complement, as the second column's partner.
    const n = p.shape[0];
    const two = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) { two[2 * i] = 1 - p.data[i]; two[2 * i + 1] = p.data[i]; }
    return tensor(two, { shape: [n, 2] });
  }

  /**
   * The model up to its logits, for the loss: the model itself, or without its final
   * Softmax / Sigmoid / LogSoftmax when it outputs (log-)probabilities.
   */
  logitsModel(): Module {
    if (this.outputs === 'logits' || this.outputs === 'values') return this.model;
    const mods = this.model instanceof Sequential ? [...this.model] : [];
    const last = mods.at(-1);
    if (!(last instanceof Activation) || !['softmax', 'sigmoid', 'logSoftmax'].includes(last.kind)) {
      throw new ConfigError(`the model outputs ${this.outputs} but does not end in a Softmax, Sigmoid or LogSoftmax layer to strip for the loss`);
    }
    return new Sequential(...mods.slice(0, -1));
  }

  private checkWidth(width: number, source: string): void {
    if (width !== this.inputWidth) {
      throw new ShapeError(`the model expects ${this.inputWidth} input features but ${source} has ${width}`);
    }
  }

  /** The stored schema, or one made for this table: the label columns and the feature columns. */
  private schemaFor(table: CsvTable): CsvSchema {
    if (this.schema) return this.schema;
    const labels = this.labels.filter((l) => table.header.includes(l));
    const byName = this.featureNames.every((f) => table.header.includes(f));
    const features = byName ? [...this.featureNames] : table.header.filter((h) => !labels.includes(h));
    if (features.length !== this.inputWidth) {
      throw new ParseError(`${table.source}:${table.headerLine}: the model expects ${this.inputWidth} feature columns but the file has ${features.length} besides the label (${this.labels.join(', ')})`,
        table.source, table.headerLine);
    }
    const k = this.task === 'classification' ? this.classCount() : 0;
    return {
      format: 'nabla-csv-schema', version: 1, features: features.map((name) => ({ name, kind: 'numeric' })),
      labels: labels.length ? labels : [...this.labels], task: this.task, missing: 'refuse', delimiter: table.delimiter,
      ...(this.task === 'classification' ? { classNames: this.classNamesOrIndices(k) } : {}),
    };
  }

  /** Number of classes: the names, else what the model outputs. */
  private classCount(): number {
    if (this.classNames) return this.classNames.length;
    const out = forwardAll(this.model, tensor(new Float32Array(this.inputWidth), { shape: [1, this.inputWidth] }));
    return out.shape[1] === 1 ? 2 : out.shape[1];
  }
}

function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v) && !(v instanceof Uint8Array)
    && (v as Dataset).x instanceof Tensor && (v as Dataset).y instanceof Tensor;
}

/** Records keyed by column name as a CSV table (header = every key seen, in order of appearance). */
function recordsTable(records: readonly Record<string, unknown>[], source: string): CsvTable {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (typeof r !== 'object' || r === null) throw new ParseError(`${source}: each row must be an object of column values`, source);
    for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); header.push(k); }
  }
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : String(v)) : String(v));
  return {
    source, delimiter: ',', header, headerLine: 0,
    rows: records.map((r) => header.map((h) => cell(r[h]))),
    // "Line" i + 1 is record i (there is no header line in records).
    lines: records.map((_, i) => i + 1),
  };
}

