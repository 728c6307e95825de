// ONNX interchange: export any dense MLP for serving in any ONNX runtime, import plain MLPs back.
export { exportOnnx, irVersionFor, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET, type ExportOnnxOptions } from './export.js';
export { importOnnx, type ImportedOnnx } from './import.js';
export { UnsupportedOnnxError } from './errors.js';
export { denseLayersOf, type DenseLayer, type DenseModel } from './layers.js';
