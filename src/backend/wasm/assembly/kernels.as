// The module's exports: one file per kernel family.
export { gemm, packABytes, packBBytes, tileBytes, setTileScratch } from './gemm';
export { unary, unaryGrad, binary, affine, select, axpy, dot, adamStep, sgdMomentumStep } from './elementwise';
export { reduce, softmax, softmaxCrossEntropy } from './reduce';

/** First free byte after the module's static data; the host places its scratch from here. */
export function heapBase(): usize { return __heap_base; }
