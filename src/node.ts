// nabla's Node-only helpers (files, atomic writes, the playground server), kept out of the main
// entry so that `import 'nabla'` stays browser-safe: import them from 'nabla/node'.
export * from './data/read-files.js';
export * from './data/stream-files.js';
export * from './data/sql.js';
export * from './io/atomic-files.js';
export * from './pipeline/pipeline-files.js';
export * from './playground/index.js';
