// SGD with momentum as one fused pass (Backend.sgdMomentumStep): on every backend, the weights and
// momentum buffers after several steps equal torch.optim.SGD's update written out here element by
// element, bit for bit; and a step trainStep skips (non-finite loss) leaves both untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { rng } from '../backend/wasm-helpers.js';

type DT = 'float32' | 'float64';
const make = (dt: DT, n: number) => (dt === 'float32' ? new Float32Array(n) : new Float64Array(n));

/** torch.optim.SGD with momentum, one element at a time, each store rounded to the array's type. */
function oracle(w: Float32Array | Float64Array, g: Float32Array | Float64Array, buf: Float32Array | Float64Array, o: Required<Pick<nb.SgdOptions, 'lr' | 'momentum' | 'dampening' | 'weightDecay' | 'nesterov'>>, first: boolean) {
  for (let i = 0; i < w.length; i++) {
    const d = g[i] + o.weightDecay * w[i];
    buf[i] = first ? d : o.momentum * buf[i] + (1 - o.dampening) * d;
    w[i] = w[i] - o.lr * (o.nesterov ? d + o.momentum * buf[i] : buf[i]);
  }
}

const CONFIGS = [
  { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
  { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0, nesterov: false },
  { lr: 0.01, momentum: 0.8, dampening: 0, weightDecay: 0, nesterov: true },
  { lr: 0.2, momentum: 0.5, dampening: 0, weightDecay: 0.01, nesterov: false },
];

for (const backend of nb.availableBackends()) {
  test(`${backend}: SGD with momentum equals torch's update bit for bit after 5 steps (float32, float64; small and large tensors)`, () => {
    const prev = nb.getBackend();
    nb.setBackend(backend);
    try {
      for (const dt of ['float32', 'float64'] as const) {
        for (const size of [7, 300]) {
          for (const cfg of CONFIGS) {
            const r = rng(size + cfg.lr * 100);
            const p = nb.tensor(Array.from({ length: size }, () => r() - 0.5), { dtype: dt });
            p.requiresGrad = true;
            const opt = new nb.SGD([p], cfg);
            const w = make(dt, size), buf = make(dt, size);
            w.set(p.data);
            for (let step = 0; step < 5; step++) {
              const g = make(dt, size).map(() => r() * 2 - 1);
              p.grad = nb.tensor(Array.from(g), { dtype: dt });
              opt.step();
              oracle(w, p.grad.data, buf, cfg, step === 0);
            }
            assert.deepEqual(Array.from(p.data), Array.from(w), `${dt} ${size} ${JSON.stringify(cfg)} weights`);
            assert.deepEqual(Array.from(opt.stateDict().state[0]!.buf as Float32Array), Array.from(buf), `${dt} ${size} ${JSON.stringify(cfg)} momentum`);
          }
        }
      }
    } finally {
      nb.setBackend(prev);
    }
  });
}

test('a step trainStep skips (non-finite loss) leaves the weights and the momentum buffers untouched', () => {
  const model = nb.mlp([4, 80, 3], { seed: 1 });
  const opt = new nb.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
  const x = nb.randn([6, 4], { seed: 2 }), y = nb.randint(0, 3, [6], { seed: 3 });
  const opts = { loss: 'crossEntropy', optimizer: opt, clipNorm: 1, onNonFinite: 'skip' as const };
  assert.equal(nb.trainStep(model, x, y, opts).skipped, null);
  const weights = model.parameters().map((p) => Array.from(p.data));
  const momentum = opt.stateDict().state.map((s) => Array.from(s!.buf as Float32Array));
  const bad = x.detach();
  bad.data[5] = NaN;
  assert.match(nb.trainStep(model, bad, y, opts).skipped ?? '', /NaN|non-finite|not finite/i);
  assert.deepEqual(model.parameters().map((p) => Array.from(p.data)), weights);
  assert.deepEqual(opt.stateDict().state.map((s) => Array.from(s!.buf as Float32Array)), momentum);
  // The next good step continues from the same momentum as an uninterrupted run would.
  assert.equal(nb.trainStep(model, x, y, opts).skipped, null);
  assert.notDeepEqual(model.parameters().map((p) => Array.from(p.data)), weights);
});
