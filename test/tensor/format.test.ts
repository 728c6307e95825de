// Printing a tensor shows its values as PyTorch does. The expected strings are PyTorch 1.13's own
// repr() of the same tensors (Debian's python3-torch), with torch's spellings of dtype and
// requires_grad replaced by nabla's (dtype=float64, requiresGrad=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { arange, tensor, zeros } from '../../src/index.js';

const nan = Number.NaN, inf = Number.POSITIVE_INFINITY;
const cases: [string, () => ReturnType<typeof tensor>, string][] = [
  ['whole numbers', () => tensor([[1, 2], [3, 4]]), 'tensor([[1., 2.],\n        [3., 4.]])'],
  ['float64 with 4 decimals', () => tensor([0.5, 0.7310586], { dtype: 'float64' }), 'tensor([0.5000, 0.7311], dtype=float64)'],
  ['a 0-d whole number', () => tensor(3), 'tensor(3.)'],
  ['a 0-d fraction', () => tensor(-0.25), 'tensor(-0.2500)'],
  ['a small value: scientific', () => tensor([1e-5, 1]), 'tensor([1.0000e-05, 1.0000e+00])'],
  ['a large value: scientific', () => tensor([1e9, 2]), 'tensor([1.0000e+09, 2.0000e+00])'],
  ['nan and inf padded', () => tensor([nan, 1.5, inf]), 'tensor([   nan, 1.5000,    inf])'],
  ['signs share one width', () => tensor([-1, 2, -3]), 'tensor([-1.,  2., -3.])'],
  ['over 1000 values: summarised, wrapped at 80 columns', () => arange(2000).reshape([2, 1000]),
    'tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n         9.9900e+02],\n'
    + '        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])'],
  ['3-d: a blank line between matrices', () => arange(24).reshape([2, 3, 4]).div(7),
    'tensor([[[0.0000, 0.1429, 0.2857, 0.4286],\n         [0.5714, 0.7143, 0.8571, 1.0000],\n         [1.1429, 1.2857, 1.4286, 1.5714]],\n\n'
    + '        [[1.7143, 1.8571, 2.0000, 2.1429],\n         [2.2857, 2.4286, 2.5714, 2.7143],\n         [2.8571, 3.0000, 3.1429, 3.2857]]])'],
  ['empty', () => zeros([0]), 'tensor([])'],
  ['empty 2-d names its shape', () => zeros([2, 0]), 'tensor([], shape=[2, 0])'],
  ['a long row wraps', () => arange(30).div(3),
    'tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n'
    + '        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667,\n'
    + '        6.0000, 6.3333, 6.6667, 7.0000, 7.3333, 7.6667, 8.0000, 8.3333, 8.6667,\n'
    + '        9.0000, 9.3333, 9.6667])'],
  ['magnitudes over 1000x apart: scientific', () => tensor([123456.7, 0.5]), 'tensor([1.2346e+05, 5.0000e-01])'],
  ['a leaf that wants gradients', () => tensor([1, 2]).requiresGrad_(), 'tensor([1., 2.], requiresGrad=true)'],
  ['zeros', () => zeros([2]), 'tensor([0., 0.])'],
  ['only small values', () => tensor([1e-5, 2e-5]), 'tensor([1.0000e-05, 2.0000e-05])'],
];

for (const [name, make, expected] of cases) {
  test(`print: ${name}`, () => {
    const t = make();
    assert.equal(String(t), expected);
    assert.equal(inspect(t), expected, 'console.log shows the same text');
  });
}

test('print: an op result names the op that made it; nested in objects it prints the same', () => {
  const x = tensor([1, 2]).requiresGrad_();
  const y = x.mul(2);
  assert.match(String(y), /^tensor\(\[2\., 4\.\], gradFn=<\w+>\)$/);
  assert.equal(inspect({ x }), `{ x: ${String(x)} }`);
});
