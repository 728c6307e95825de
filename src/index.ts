// nabla: multilayer perceptrons and backpropagation. Everything public is exported here.
// Importing has no side effects: `await init({ backend })` chooses the backend, or the first use
// picks the best that loads (select.ts).
export * from './errors.js';
export { onWarning, type NablaWarning, type WarningHandler } from './warnings.js';
export { Rng, manualSeed, globalRng } from './random.js';
export { Value, value, type ValueLike } from './scalar/value.js';
export * from './tensor/index.js';
export { noGrad, enableGrad, isGradEnabled } from './tensor/tape.js';
export { backward, gradients, type BackwardOptions } from './autograd/backward.js';
export { grad, valueAndGrad, vjp, jvp, hvp, hessian, jacobian, jacrev, jacfwd } from './autograd/transforms.js';
export { vmap, type InAxes } from './autograd/vmap.js';
export { BatchTracer } from './autograd/batch-tracer.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { init, getBackend, setBackend, availableBackends, backendName, registerBackend, type InitOptions } from './backend/select.js';
export type { Backend, BackendName, FloatArray } from './backend/backend.js';
export * from './data/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export * from './train/index.js';
export * from './io/index.js';
export * from './pipeline/index.js';
export * from './viz/index.js';
/** The op registry: every op's definition (kernels, derivatives, ONNX forms, activation metadata). */
export * as ops from './ops/index.js';
// ONNX export/import needs protobufjs, so it is its own entry: import from 'nabla/onnx'.
export * from './lessons/index.js';
