// The nn layer: modules, activations, initialisers, losses and penalties.
export { Module, type ModuleConfig, type LoadStateOptions } from './module.js';
export { Linear, type LinearOptions } from './linear.js';
export { Sequential } from './sequential.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { mlp, type MlpOptions } from './mlp.js';
export * from './activations.js';
export { moduleFromConfig, registerModuleType } from './from-config.js';
// Named as in TensorFlow.js (tf.initializers): 'init' is the backend's init({ backend }) at the top level.
export * as initializers from './init.js';
export { initTensor, type InitName, type InitializerOptions } from './init.js';
export { l2Penalty, l1Penalty, type PenaltyOptions } from './regularizers.js';
export * from './losses/index.js';
