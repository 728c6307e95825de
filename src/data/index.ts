// The browser-safe data layer. Node file loaders live in ./node.js and are not re-exported here,
// so bundling this module for the web pulls in no node: imports.
export * from './dataset.js';
export { readCsv, decodeText, type CsvReadOptions, type CsvTable } from './csv-reader.js';
export { inferCsvSchema } from './table-scan.js';
export {
  checkCsvSchema, featureNamesOf, encodedWidth,
  type CsvSchema, type FeatureSpec, type MissingPolicy, type SchemaOptions,
} from './csv-schema.js';
export { parseCsv, applyCsvSchema, applyCsvSchemaToTable, type CsvOptions, type CsvResult, type EncodedCsv } from './csv.js';
export * from './idx.js';
export * from './synthetic.js';
export * from './preprocess.js';
export * from './budget.js';
export * from './stream.js';
export { CsvTokenizer, CsvRecord, type TableRow } from './csv-tokenizer.js';
export { SchemaScanner } from './table-scan.js';
export { RowEncoder } from './row-encoder.js';
