// Browser-safe model file format and the checkpoint callback. Node helpers (saveModel, loadModel,
// writeFileAtomic) are in ./atomic-files.js, exported from 'nabla/node'.
export { serializeModel, deserializeModel, MAGIC, FORMAT_VERSION, type ModelFile, type SaveOptions, type TensorEntry } from './model-file.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './checkpoint.js';
export { crc32 } from './crc32.js';
