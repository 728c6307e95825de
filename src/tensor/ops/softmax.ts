// Softmax and log-softmax along one axis, stable (the kernel subtracts the max). The VJPs are
// written in tensor ops: ∂x = y ⊙ (g − Σ g⊙y) and ∂x = g − softmax(x)·Σ g.
import { getBackend } from '../../backend/select.js';
import { record } from '../tape.js';
import { dispatch } from '../dispatch.js';
import { normAxis, splitAt } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';

function kernel(x: Tensor, axis: number, log: boolean): Tensor {
  return dispatch(log ? 'logSoftmax' : 'softmax', [x], () => {
    const [outer, len, inner] = splitAt(x.shape, axis);
    const out = new Tensor(allocate(x.dtype, x.size), x.shape);
    getBackend().softmax(outer, len, inner, x.data, out.data, log);
    return out;
  }, () => ({ apply: (v: Tensor, a: number) => (log ? logSoftmax(v, a) : softmax(v, a)), axis }));
}

export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis(axis, x.ndim, 'softmax');
  const y = kernel(x, a, false);
  return record(y, 'softmax', [x], (g) => [mul(y, sub(g, sum(mul(g, y), a, true)))]);
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis(axis, x.ndim, 'logSoftmax');
  const y = kernel(x, a, true);
  return record(y, 'logSoftmax', [x], (g) => [sub(g, mul(exp(y), sum(g, a, true)))]);
}
