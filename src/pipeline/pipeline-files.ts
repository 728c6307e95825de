// Node file helpers for pipelines: a pipeline is a nabla model file whose meta describes the preprocessing.
import { loadModel, saveModel } from '../io/atomic-files.js';
import type { SaveOptions } from '../io/model-file.js';
import { Pipeline } from './pipeline.js';

/** Read a pipeline saved by `nabla train`, `nabla import` or savePipeline; errors name the path. */
export function loadPipeline(path: string): Pipeline {
  return Pipeline.fromModelFile(loadModel(path), path);
}

/** Write a pipeline as a model file, atomically (history and optimizer state optional). */
export function savePipeline(path: string, pipeline: Pipeline, opts: Omit<SaveOptions, 'meta'> = {}): void {
  saveModel(path, pipeline.model, { ...opts, meta: pipeline.toMeta() });
}
