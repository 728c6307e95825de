// nabla's Node-only helpers (files, atomic writes, the playground server), kept out of the main
// entry so that `import 'nabla'` stays browser-safe: import them from 'nabla/node'.
export * from './data/node.js';
export * from './data/node-stream.js';
export * from './data/sql.js';
export * from './io/node.js';
export * from './playground/index.js';
