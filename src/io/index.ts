// Browser-safe model file format. Node helpers (saveModel, loadModel, writeFileAtomic) are in ./node.js.
export { serializeModel, deserializeModel, MAGIC, FORMAT_VERSION, type ModelFile, type SaveOptions, type TensorEntry } from './model-file.js';
export { crc32 } from './crc32.js';
