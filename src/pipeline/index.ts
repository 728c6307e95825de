// The pipeline (model + preprocessing + task): browser-safe. loadPipeline / savePipeline (pipeline-files.ts) are in 'nabla/node'.
export { Pipeline, checkPipelineMeta, type PipelineMeta, type PipelineOutputs, type PipelineRows, type PipelineEvaluation } from './pipeline.js';
export { Predictions, type PredictionsInit } from './predictions.js';
