// Each nabla activation as ONNX nodes. Where ONNX has no op with nabla's exact definition, the
// activation is composed from standard ops so any runtime computes the same function.
import { ConfigError } from '../errors.js';
import type { ActivationName } from '../nn/activations.js';
import { DataType } from './onnx-schema.js';
import { floatAttr, intAttr, stringAttr, type GraphBuilder } from './graph-builder.js';

// nabla's gelu is the tanh approximation (src/backend/js-backend.ts).
export const GELU_C = Math.sqrt(2 / Math.PI);
export const GELU_K = 0.044715;

/** Emit `act(x)`; returns the output value name. */
export function emitActivation(g: GraphBuilder, act: ActivationName, x: string, param: number | undefined, opset: number): string {
  switch (act) {
    case 'identity': case 'linear': return x;
    case 'relu': return g.node('Relu', [x]);
    case 'sigmoid': case 'logistic': return g.node('Sigmoid', [x]);
    case 'tanh': return g.node('Tanh', [x]);
    case 'softplus': return g.node('Softplus', [x]);
    case 'leakyRelu': return g.node('LeakyRelu', [x], [floatAttr('alpha', param ?? 0.01)]);
    case 'elu': return g.node('Elu', [x], [floatAttr('alpha', param ?? 1)]);
    case 'step': case 'hardThreshold': {
      // 1 where x > 0 else 0: a bool comparison cast back to float.
      const b = g.node('Greater', [x, g.scalar(0)], [], 'positive');
      return g.node('Cast', [b], [intAttr('to', DataType.FLOAT)], 'step');
    }
    case 'gelu': {
      if (opset >= 20) return g.node('Gelu', [x], [stringAttr('approximate', 'tanh')]);
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      const x2 = g.node('Mul', [x, x], [], 'gelu_x2');
      const x3 = g.node('Mul', [x2, x], [], 'gelu_x3');
      const kx3 = g.node('Mul', [x3, g.scalar(GELU_K)], [], 'gelu_kx3');
      const inner = g.node('Add', [x, kx3], [], 'gelu_inner');
      const u = g.node('Mul', [inner, g.scalar(GELU_C)], [], 'gelu_u');
      const t = g.node('Tanh', [u], [], 'gelu_tanh');
      const s = g.node('Add', [t, g.scalar(1)], [], 'gelu_1pt');
      const xs = g.node('Mul', [x, s], [], 'gelu_xs');
      return g.node('Mul', [xs, g.scalar(0.5)], [], 'gelu');
    }
    case 'softmax': return g.node('Softmax', [x], [intAttr('axis', -1)]);
    case 'logSoftmax': return g.node('LogSoftmax', [x], [intAttr('axis', -1)]);
    default: throw new ConfigError(`ONNX export: activation '${act as string}' has no ONNX form`);
  }
}
