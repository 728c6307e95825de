// Every backend that loads here against the JS reference, through the public API: float32 ops
// with gradients on odd shapes, and whole training runs whose loss curves must agree to float32
// rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const others = nb.availableBackends().filter((b) => b !== 'js');

function onBackend<T>(name: nb.BackendName, fn: () => T): T {
  const prev = nb.getBackend();
  nb.setBackend(name);
  try { return fn(); } finally { nb.setBackend(prev); }
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, what: string) {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(b[i]));
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Value and input gradients of f at fresh float32 inputs of the given shapes. */
function run(f: (...xs: Tensor[]) => Tensor, shapes: number[][], seed: number): number[][] {
  const xs = shapes.map((s, i) => nb.randn(s, { seed: seed + i, requiresGrad: true }));
  const y = f(...xs);
  y.sum().backward();
  return [Array.from(y.data), ...xs.map((x) => Array.from(x.grad!.data))];
}

const CASES: [string, (...xs: Tensor[]) => Tensor, number[][]][] = [
  ['linear relu', (x, w, b) => nb.linear(x, w, b).relu(), [[37, 29], [29, 13], [13]]],
  ['matmul transA', (a, b) => nb.matmul(a, b, { transA: true }), [[17, 9], [17, 23]]],
  ['matmul transB', (a, b) => nb.matmul(a, b, { transB: true }), [[9, 31], [5, 31]]],
  ['batched matmul', (a, b) => nb.matmul(a, b), [[3, 7, 5], [5, 11]]],
  ['sigmoid tanh broadcast', (a, b) => a.sigmoid().mul(b.tanh()), [[13, 7], [7]]],
  ['softmax logSoftmax', (a) => a.softmax().add(a.logSoftmax(0)), [[19, 10]]],
  ['reductions', (a) => a.sum(1, true).add(a.max(0)).add(a.mean()), [[21, 6]]],
  ['gelu elu softplus exp', (a) => nb.gelu(a).add(nb.elu(a)).add(a.softplus()).add(a.exp()), [[3, 67]]],
];

for (const backend of others) {
  for (const [name, f, shapes] of CASES) {
    test(`${backend} agrees with js: ${name}`, () => {
      const ref = onBackend('js', () => run(f, shapes, 7));
      const got = onBackend(backend, () => run(f, shapes, 7));
      got.forEach((v, i) => close(v, ref[i], 2e-5, `${name} ${i === 0 ? 'value' : `grad ${i - 1}`}`));
    });
  }

  test(`${backend} trains the same loss curve as js (float32 rounding)`, async () => {
    const x = nb.randn([96, 20], { seed: 1 });
    const y = nb.randint(0, 4, [96], { seed: 2 });
    // fit is async: the backend must stay set until it resolves.
    const curve = async (b: nb.BackendName) => {
      const prev = nb.getBackend();
      nb.setBackend(b);
      try {
        const model = nb.mlp([20, 32, 16, 4], { seed: 3 });
        const h = await nb.fit(model, { x, y }, { epochs: 10, batchSize: 16, loss: 'crossEntropy', optimizer: 'sgd', lr: 0.1, seed: 4 });
        assert.equal(nb.backendName(), b);
        return h.loss;
      } finally { nb.setBackend(prev); }
    };
    const ref = await curve('js');
    const got = await curve(backend);
    close(got, ref, 1e-4, 'loss');
    assert.ok(ref[ref.length - 1] < ref[0] * 0.8, 'the run learned something');
  });
}

test('Adam and AdamW steps give bit-identical weights on every backend', () => {
  const run = (b: nb.BackendName, Opt: typeof nb.Adam) => {
    const prev = nb.getBackend();
    nb.setBackend(b);
    try {
      const w = nb.randn([300, 70], { seed: 5 });
      const opt = new Opt([w], { lr: 1e-2, weightDecay: 0.01 });
      for (let s = 0; s < 5; s++) { w.grad = nb.randn([300, 70], { seed: 10 + s }); opt.step(); }
      return Array.from(w.data);
    } finally { nb.setBackend(prev); }
  };
  for (const Opt of [nb.Adam, nb.AdamW]) {
    const ref = run('js', Opt);
    for (const b of others) assert.deepEqual(run(b, Opt), ref, `${b} ${Opt.name}`);
  }
});

test('at least one fast backend loads on this machine', () => {
  assert.ok(others.length > 0, `only ${nb.availableBackends().join(', ')}`);
});
