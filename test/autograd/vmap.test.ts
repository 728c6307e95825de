// vmap against a JavaScript loop over examples, for every op that has a batching rule, with
// batched and unbatched operands, through grad (per-example gradients) and nested in itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { batchRules } from '../../src/tensor/dispatch.js';

const f64 = { dtype: 'float64' as const };
const B = 3;
const rand = (shape: number[], seed: number) => nb.randn(shape, { ...f64, seed });
const positive = (shape: number[], seed: number) => nb.noGrad(() => rand(shape, seed).abs().add(0.5));

function close(a: Tensor, b: Tensor, what: string, tol = 1e-12): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  for (let i = 0; i < a.size; i++) {
    assert.ok(Math.abs(a.data[i] - b.data[i]) <= tol * Math.max(1, Math.abs(b.data[i])), `${what}[${i}]: ${a.data[i]} vs ${b.data[i]}`);
  }
}

/** Example i of x along axis (null: x itself). */
const pick = (x: Tensor, axis: number | null, i: number) =>
  axis === null ? x : nb.squeeze(nb.indexSelect(x, axis, [i]), axis);

/** The same map by a loop: f on each example, results stacked along a new first axis. */
function loop(f: (...a: Tensor[]) => Tensor, args: Tensor[], axes: (number | null)[]): Tensor {
  const n = args[axes.findIndex((a) => a !== null)].shape[axes.find((a) => a !== null)!];
  return nb.stack(Array.from({ length: n }, (_, i) => f(...args.map((x, k) => pick(x, axes[k], i)))));
}

interface Case { ops: string[]; f: (...a: Tensor[]) => Tensor; args: Tensor[]; axes?: (number | null)[] }

const x23 = rand([B, 2, 3], 1), y3 = rand([B, 3], 2), p23 = positive([B, 2, 3], 3);
const idx = nb.tensor([[[0, 2], [1, 1]], [[2, 2], [0, 1]], [[1, 0], [0, 0]]], f64); // [B, 2, 2] indices into an axis of 3
const unary: [string, (x: Tensor) => Tensor, boolean][] = [
  ['neg', nb.neg, false], ['exp', nb.exp, false], ['log', nb.log, true], ['sqrt', nb.sqrt, true], ['abs', nb.abs, false],
  ['sign', nb.sign, false], ['square', nb.square, false], ['reciprocal', nb.reciprocal, true], ['sin', nb.sin, false],
  ['cos', nb.cos, false], ['tanh', nb.tanh, false], ['sigmoid', nb.sigmoid, false], ['relu', nb.relu, false],
  ['softplus', nb.softplus, false], ['heaviside', nb.heaviside, false], ['leakyRelu', (x) => nb.leakyRelu(x, 0.1), false],
  ['elu', (x) => nb.elu(x, 1.3), false], ['gelu', nb.gelu, false],
];
const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', nb.add], ['sub', nb.sub], ['mul', nb.mul], ['div', nb.div], ['pow', nb.pow], ['maximum', nb.maximum],
  ['minimum', nb.minimum], ['eq', nb.eq], ['ne', nb.ne], ['lt', nb.lt], ['le', nb.le], ['gt', nb.gt], ['ge', nb.ge],
];

const cases: Case[] = [
  ...unary.map(([op, f, pos]): Case => ({ ops: [op], f, args: [pos ? p23 : x23] })),
  // Broadcasting [2, 3] against [3], with either side batched or shared.
  ...binary.flatMap(([op, f]): Case[] => [
    { ops: [op], f, args: [p23, positive([B, 3], 4)] },
    { ops: [op], f, args: [p23, positive([3], 5)], axes: [0, null] },
    { ops: [op], f, args: [positive([3], 6), p23], axes: [null, 0] },
  ]),
  { ops: ['affine'], f: (x) => x.mul(2).add(1).sub(3).div(4), args: [x23] },
  { ops: ['where'], f: (x, y) => nb.where(x.gt(0), x, y), args: [x23, y3] },
  { ops: ['where'], f: (x) => nb.where(x.gt(0), x, 0), args: [x23] },
  { ops: ['cast'], f: (x) => x.to('float32').to('float64'), args: [x23] },
  { ops: ['sum'], f: (x) => x.sum(), args: [x23] },
  { ops: ['sum'], f: (x) => x.sum(1), args: [x23] },
  { ops: ['sum'], f: (x) => x.sum([0, 1], true), args: [x23] },
  { ops: ['sum'], f: (x) => x.sum().sum(), args: [x23] },
  { ops: ['max'], f: (x) => x.max(), args: [x23] },
  { ops: ['max'], f: (x) => x.max(1, true), args: [x23] },
  { ops: ['min'], f: (x) => x.min(0), args: [x23] },
  { ops: ['min'], f: (x) => x.min(undefined, true), args: [x23] },
  { ops: ['argmax'], f: (x) => x.argmax(1), args: [x23] },
  { ops: ['argmin'], f: (x) => x.argmin(), args: [x23] },
  { ops: ['softmax'], f: (x) => x.softmax(0), args: [x23] },
  { ops: ['logSoftmax'], f: (x) => x.logSoftmax(), args: [x23] },
  { ops: ['reshape'], f: (x) => x.reshape(3, -1), args: [x23] },
  { ops: ['transpose'], f: (x) => x.T, args: [x23] },
  { ops: ['transpose'], f: (x) => x.reshape(1, 2, 3).transpose(2, 0, 1), args: [x23] },
  { ops: ['broadcastTo'], f: (y) => y.broadcastTo([2, 3]), args: [y3] },
  { ops: ['broadcastTo'], f: (y) => y.reshape(3, 1).broadcastTo([2, 3, 4]), args: [y3] },
  { ops: ['gather'], f: (x, i) => x.gather(i, 1), args: [x23, idx] },
  { ops: ['gather'], f: (x, i) => x.gather(i, 1), args: [x23, idx.slice(0)], axes: [0, null] },
  { ops: ['gather'], f: (x, i) => x.gather(i, 1), args: [x23.slice(1), idx], axes: [null, 0] },
  { ops: ['gather'], f: (x) => x.slice(null, [0, 3, 2]), args: [x23] },
  { ops: ['scatterAdd'], f: (g, i) => nb.scatterAdd(g, i, [2, 3], 1), args: [rand([B, 2, 2], 7), idx] },
  { ops: ['scatterAdd'], f: (g, i) => nb.scatterAdd(g, i, [2, 3], 1), args: [rand([2, 2], 8), idx], axes: [null, 0] },
  { ops: ['concat'], f: (x, y) => nb.concat([x, y.reshape(1, 3)], 0), args: [x23, y3] },
  { ops: ['concat'], f: (x, y) => nb.stack([x.sum(0), y], 1), args: [x23, rand([3], 9)], axes: [0, null] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [x23, rand([3, 4], 10)], axes: [0, null] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [x23, rand([B, 3, 4], 11)] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [rand([2, 3], 12), rand([B, 3, 4], 13)], axes: [null, 0] },
  { ops: ['matmul'], f: (x, w) => nb.matmul(x, w, { transB: true }), args: [x23, rand([4, 3], 14)], axes: [0, null] },
  { ops: ['matmul'], f: (x, w) => nb.matmul(x, w, { transA: true }), args: [x23, rand([2, 4], 15)], axes: [0, null] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [y3, rand([3, 4], 16)], axes: [0, null] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [y3, rand([B, 3], 17)] },
  { ops: ['matmul'], f: (x, w) => x.matmul(w), args: [rand([B, 5, 2, 3], 18), rand([3, 4], 19)], axes: [0, null] },
  { ops: ['linear'], f: (x, w, b) => nb.linear(x, w, b), args: [x23, rand([3, 4], 20), rand([4], 21)], axes: [0, null, null] },
  { ops: ['linear'], f: (x, w, b) => nb.linear(x, w, b), args: [x23, rand([B, 3, 4], 22), rand([4], 23)], axes: [0, 0, null] },
  { ops: ['linear'], f: (x, w, b) => nb.linear(x, w, b), args: [rand([2, 3], 24), rand([3, 4], 25), rand([B, 4], 26)], axes: [null, null, 0] },
  { ops: ['linear'], f: (x, w) => nb.linear(x, w), args: [x23, rand([3, 4], 27)], axes: [0, null] },
];

test('vmap equals a loop over examples for every op with a batching rule', () => {
  for (const c of cases) {
    const axes = c.axes ?? c.args.map(() => 0);
    close(nb.vmap(c.f, axes)(...c.args), loop(c.f, c.args, axes), `${c.ops.join()} ${axes}`);
  }
});

test('vmap of grad equals a loop of grad for every differentiable op (the batching rules of the VJPs)', () => {
  const covered = new Set<string>();
  for (const c of cases) {
    if (['sign', 'heaviside', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin'].includes(c.ops[0])) continue;
    const axes = c.axes ?? c.args.map(() => 0);
    // Gradient with respect to every argument that is not an index tensor.
    const argnums = c.args.map((_, i) => i).filter((i) => !(c.ops[0] === 'gather' || c.ops[0] === 'scatterAdd') || i === 0);
    const g = (...a: Tensor[]) => nb.grad((...b: Tensor[]) => c.f(...b).sin().sum(), argnums)(...a);
    const mapped = nb.vmap(g, axes)(...c.args);
    const looped = argnums.map((k) => loop((...a) => g(...a)[k], c.args, axes));
    mapped.forEach((m, k) => close(m, looped[k], `∇${c.ops.join()} ${axes} arg ${argnums[k]}`, 1e-10));
    c.ops.forEach((op) => covered.add(op));
  }
  // The VJPs use the activations' fused gradient ops, which vmap batches too.
  for (const act of ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'softplus', 'elu', 'gelu']) covered.add(`${act}Grad`);
  const all = Object.keys(batchRules);
  const missing = all.filter((op) => !covered.has(op) && !cases.some((c) => c.ops.includes(op)));
  assert.deepEqual(missing, [], 'ops with a batching rule but no test');
});

test('second-order terms batch too: vmap of hessian equals a loop', () => {
  const f = (x: Tensor) => nb.gelu(x).mul(x.sigmoid()).add(x.tanh().square()).add(nb.elu(x, 1.3)).add(x.softplus().mul(x)).sum();
  const xs = rand([B, 4], 30);
  close(nb.vmap((x: Tensor) => nb.hessian(f, x))(xs), loop((x) => nb.hessian(f, x), [xs], [0]), 'hessian', 1e-10);
});

test('per-example gradients: vmap(grad(loss), [null, 0, 0]) matches a loop and their mean is the minibatch gradient', () => {
  const W = rand([4, 2], 40), X = rand([6, 4], 41), T = rand([6, 2], 42);
  const loss = (W: Tensor, x: Tensor, t: Tensor) => x.matmul(W).tanh().sub(t).square().sum();
  const perExample = nb.vmap(nb.grad(loss), [null, 0, 0])(W, X, T);
  assert.deepEqual(perExample.shape, [6, 4, 2]);
  close(perExample, loop((x, t) => nb.grad(loss)(W, x, t), [X, T], [0, 0]), 'per-example');
  const minibatch = nb.grad((W: Tensor) => X.matmul(W).tanh().sub(T).square().sum(1).mean())(W);
  close(perExample.mean(0), minibatch, 'mean of per-example = minibatch', 1e-12);
});

test('grad of vmap, vmap of vmap, mapped axis other than 0, and outputs that ignore the batch', () => {
  const W = rand([3, 2], 50), X = rand([4, 3], 51);
  const perExample = (W: Tensor) => nb.vmap((x: Tensor) => x.matmul(W).sigmoid().sum())(X);
  close(nb.grad((W: Tensor) => perExample(W).sum())(W), nb.grad((W: Tensor) => X.matmul(W).sigmoid().sum())(W), 'grad of vmap');
  const M = rand([2, 4, 3], 52);
  const inner = (r: Tensor) => r.mul(r.sum()).exp();
  close(nb.vmap(nb.vmap(inner))(M), nb.stack([0, 1].map((i) => loop(inner, [M.slice(i)], [0]))), 'vmap of vmap');
  close(nb.vmap(inner, [1])(M), loop(inner, [M], [1]), 'inAxes [1]');
  close(nb.vmap(inner, [-1])(M), loop(inner, [M], [2]), 'inAxes [-1]');
  const out = nb.vmap((_x: Tensor, w: Tensor) => w.square(), [0, null])(X, W);
  close(out, nb.stack([0, 1, 2, 3].map(() => W.square())), 'unbatched output is repeated');
});

test('vmap composes with jacobian, vjp and jvp', () => {
  const f = (x: Tensor) => x.matmul(nb.tensor([[1, 2], [0, -1], [3, 1]], f64)).tanh();
  const X = rand([4, 3], 60), V = rand([4, 2], 61), T = rand([4, 3], 62);
  close(nb.vmap(nb.jacobian(f))(X), loop(nb.jacobian(f), [X], [0]), 'jacobian');
  close(nb.vmap(nb.jacfwd(f))(X), loop(nb.jacobian(f), [X], [0]), 'jacfwd');
  const vj = (x: Tensor, v: Tensor) => nb.vjp(f, [x], v)[1][0];
  close(nb.vmap(vj)(X, V), loop(vj, [X, V], [0, 0]), 'vjp');
  const jv = (x: Tensor, t: Tensor) => nb.jvp(f, [x], [t])[1];
  close(nb.vmap(jv)(X, T), loop(jv, [X, T], [0, 0]), 'jvp');
});

test('vmap errors name the transform and the argument', () => {
  const named = (argument: number | string) => (e: unknown) =>
    e instanceof nb.TransformError && e.transform === 'vmap' && e.argument === argument;
  const f = (a: Tensor, b: Tensor) => a.add(b);
  const a = rand([3, 2], 70), b = rand([4, 2], 71);
  assert.throws(() => nb.vmap(f, [0])(a, a), named('inAxes'));
  assert.throws(() => nb.vmap(f)(a, b), (e) => named(1)(e) && /size 4/.test((e as Error).message));
  assert.throws(() => nb.vmap(f, [0, 2])(a, a), (e) => named(1)(e) && /inAxes\[1\] = 2/.test((e as Error).message));
  assert.throws(() => nb.vmap(f, [null, null])(a, a), named('inAxes'));
  assert.throws(() => nb.vmap(f)(a, 2 as unknown as Tensor), named(1));
  assert.throws(() => nb.vmap((x: Tensor) => x.sum().item() as unknown as Tensor)(a), named('output'));
  assert.throws(() => nb.vmap((_x: Tensor) => 3 as unknown as Tensor)(a), named('output'));
});
