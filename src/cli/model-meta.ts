// What the CLI stores beside the weights so that eval and predict treat new data exactly as
// training did: the task, class and feature names, the CSV encoding and the fitted scaler.
import type { CsvSchema } from '../data/csv-schema.js';
import { checkCsvSchema } from '../data/csv-schema.js';
import type { Dataset, Task } from '../data/dataset.js';
import { scalerFromJSON, type MinMaxScaler, type ScalerJSON, type Standardizer } from '../data/preprocess.js';
import type { ModelFile } from '../io/model-file.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { softmax } from '../tensor/ops/softmax.js';
import { sigmoid } from '../tensor/ops/elementwise.js';

// A type alias (not an interface) so it is assignable to the model file's free-form meta record.
export type CliMeta = {
  task: Task;
  /** 'crossEntropy' (k logits), 'bceWithLogits' (one logit) or a regression loss. */
  loss: string;
  classNames?: string[];
  featureNames: string[];
  schema?: CsvSchema;
  scaler?: ScalerJSON;
  source: string;
  summary: Record<string, unknown>;
};

export function readMeta(file: ModelFile, path: string): CliMeta {
  const m = file.meta as Partial<CliMeta> | undefined;
  if (!m || (m.task !== 'classification' && m.task !== 'regression') || !Array.isArray(m.featureNames)) {
    throw new ConfigError(`${path}: not a model saved by 'nabla train' (no task and feature description in its meta)`);
  }
  if (m.schema) checkCsvSchema(m.schema);
  return m as CliMeta;
}

export function scalerOf(meta: CliMeta): Standardizer | MinMaxScaler | undefined {
  return meta.scaler ? scalerFromJSON(meta.scaler) : undefined;
}

/** Refuse data whose width differs from what the model was trained on, naming both. */
export function checkWidth(meta: CliMeta, width: number, modelPath: string, dataName: string): void {
  if (width !== meta.featureNames.length) {
    throw new ShapeError(`${modelPath} expects ${meta.featureNames.length} input features but ${dataName} has ${width}`);
  }
}

/** Targets shaped for the loss: class indices, a [n, 1] 0/1 column for one-logit BCE, or values. */
export function targetsFor(ds: Dataset, loss: string): Dataset['y'] {
  return loss === 'bceWithLogits' ? ds.y.reshape(ds.y.shape[0], 1) : ds.y;
}

/** Class probabilities from the network's logits: σ for one logit (P(class 1)), else softmax. */
export function probabilities(logits: Tensor): Tensor {
  return logits.shape[1] === 1 ? sigmoid(logits) : softmax(logits);
}
