// ONNX interchange: export a pipeline (or any dense MLP) for serving in any ONNX runtime, import plain MLPs back as pipelines.
export { exportOnnx, irVersionFor, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET, type ExportOnnxOptions } from './export.js';
export { importOnnx, IMPORT_OPSETS, IMPORT_IR_VERSIONS, type ImportedOnnx, type ImportOnnxOptions } from './import.js';
export { UnsupportedOnnxError, UnsupportedOnnxVersionError } from './errors.js';
export { denseLayersOf, type DenseLayer, type DenseModel } from './layers.js';
