// Binds Tensor's chained methods (x.add(y).relu().sum()) to the op functions. tensor.ts cannot
// import the ops (they import Tensor), so this module, loaded by creation.ts and tensor/index.ts,
// hands them over once.
import * as el from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as mv from './ops/movement.js';
import { matmul } from './ops/matmul.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { bindTensorMethods } from './tensor.js';

bindTensorMethods({ el, red, mv, matmul, softmax, logSoftmax });
