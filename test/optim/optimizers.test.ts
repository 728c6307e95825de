// Each optimizer's update against steps computed by hand from torch.optim's documented rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { SGD, Adam, AdamW, RMSprop, Adagrad, Optimizer, clipGradNorm, clipGradValue, StepLR, ExponentialLR, CosineAnnealingLR, linearWarmup, ReduceLROnPlateau } from '../../src/optim/index.js';
import * as nb from '../../src/index.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

/** Run `steps` updates of param w = [w0] with gradient g(w) given, return w after each step. */
function run(make: (p: Tensor[]) => Optimizer, w0: number, grads: (w: number) => number, steps: number): number[] {
  const p = tensor([w0], { dtype: 'float64', requiresGrad: true });
  const opt = make([p]);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    p.grad = tensor([grads(p.data[0])], { dtype: 'float64' });
    opt.step();
    out.push(p.data[0]);
  }
  return out;
}

const g = (w: number) => 2 * w + 1; // gradient of w² + w

test('SGD: plain, weight decay, momentum (first step b = g), dampening, Nesterov', () => {
  let w = 1; const lr = 0.1;
  const plain = run((p) => new SGD(p, { lr }), 1, g, 3);
  for (const v of plain) { w -= lr * g(w); close(v, w); }
  // momentum 0.9, dampening 0.1, weight decay 0.01
  w = 1; let b = 0;
  const mom = run((p) => new SGD(p, { lr, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }), 1, g, 4);
  mom.forEach((v, i) => { const d = g(w) + 0.01 * w; b = i === 0 ? d : 0.9 * b + 0.9 * d; w -= lr * b; close(v, w); });
  w = 1; b = 0;
  const nes = run((p) => new SGD(p, { lr, momentum: 0.9, nesterov: true }), 1, g, 4);
  nes.forEach((v, i) => { const d = g(w); b = i === 0 ? d : 0.9 * b + d; w -= lr * (d + 0.9 * b); close(v, w); });
});

test('Adam: bias-corrected moments; AMSGrad; AdamW decoupled decay', () => {
  const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.01];
  let w = 1, m = 0, v = 0;
  run((p) => new Adam(p, { lr, weightDecay: 0.1 }), 1, g, 5).forEach((out, i) => {
    const t = i + 1, d = g(w) + 0.1 * w;
    m = b1 * m + (1 - b1) * d; v = b2 * v + (1 - b2) * d * d;
    w -= (lr / (1 - b1 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
    close(out, w);
  });
  // The first Adam step moves by ≈ lr regardless of the gradient's scale.
  const first = run((p) => new Adam(p, { lr }), 1, () => 1000, 1)[0];
  close(first, 1 - lr, 1e-9);
  w = 1; m = 0; v = 0;
  run((p) => new AdamW(p, { lr, weightDecay: 0.1 }), 1, g, 5).forEach((out, i) => {
    const t = i + 1;
    w *= 1 - lr * 0.1;
    const d = g(w / (1 - lr * 0.1)); // gradient was taken before the shrink
    m = b1 * m + (1 - b1) * d; v = b2 * v + (1 - b2) * d * d;
    w -= (lr / (1 - b1 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
    close(out, w);
  });
  let vmax = 0; w = 1; m = 0; v = 0;
  const gs = [3, 0.1, 0.1];
  let k = 0;
  run((p) => new Adam(p, { lr, amsgrad: true }), 1, () => gs[k++], 3).forEach((out, i) => {
    const t = i + 1, d = gs[i];
    m = b1 * m + (1 - b1) * d; v = b2 * v + (1 - b2) * d * d; vmax = Math.max(vmax, v);
    w -= (lr / (1 - b1 ** t)) * m / (Math.sqrt(vmax) / Math.sqrt(1 - b2 ** t) + eps);
    close(out, w);
  });
});

test('RMSprop (plain, centered with momentum) and Adagrad (lr decay)', () => {
  const lr = 0.01, a = 0.99, eps = 1e-8;
  let w = 1, s = 0;
  run((p) => new RMSprop(p, { lr }), 1, g, 4).forEach((out) => { const d = g(w); s = a * s + (1 - a) * d * d; w -= lr * d / (Math.sqrt(s) + eps); close(out, w); });
  w = 1; s = 0; let ga = 0, buf = 0;
  run((p) => new RMSprop(p, { lr, centered: true, momentum: 0.5 }), 1, g, 4).forEach((out) => {
    const d = g(w); s = a * s + (1 - a) * d * d; ga = a * ga + (1 - a) * d;
    buf = 0.5 * buf + d / (Math.sqrt(s - ga * ga) + eps); w -= lr * buf; close(out, w);
  });
  w = 1; s = 0.1;
  run((p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 0.1 }), 1, g, 4).forEach((out, i) => {
    const d = g(w), clr = 0.1 / (1 + i * 0.5); s += d * d; w -= clr * d / (Math.sqrt(s) + 1e-10); close(out, w);
  });
});

test('optimizer state dicts resume exactly', () => {
  for (const make of [(p: Tensor[]) => new Adam(p, { lr: 0.01 }), (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 }), (p: Tensor[]) => new RMSprop(p, { momentum: 0.3 })]) {
    const full = run(make, 1, g, 6);
    const p = tensor([1], { dtype: 'float64', requiresGrad: true });
    const o1 = make([p]);
    for (let i = 0; i < 3; i++) { p.grad = tensor([g(p.data[0])], { dtype: 'float64' }); o1.step(); }
    const q = tensor([p.data[0]], { dtype: 'float64', requiresGrad: true });
    const o2 = make([q]);
    o2.loadStateDict(o1.stateDict());
    for (let i = 0; i < 3; i++) { q.grad = tensor([g(q.data[0])], { dtype: 'float64' }); o2.step(); }
    assert.equal(q.data[0], full[5]);
  }
});

test('clipGradNorm scales jointly (PyTorch coefficient), clipGradValue clamps', () => {
  const a = tensor([3], { requiresGrad: true, dtype: 'float64' }), b = tensor([4], { requiresGrad: true, dtype: 'float64' });
  a.grad = tensor([3], { dtype: 'float64' }); b.grad = tensor([4], { dtype: 'float64' });
  const n = clipGradNorm([a, b], 1);
  close(n, 5);
  close(a.grad.data[0], 3 / (5 + 1e-6)); close(b.grad.data[0], 4 / (5 + 1e-6));
  b.grad = tensor([-9], { dtype: 'float64' });
  clipGradValue([b], 2);
  assert.equal(b.grad.data[0], -2);
});

test('LR schedules follow their closed forms and restore from state', () => {
  const p = [tensor([0], { requiresGrad: true })];
  const s1 = new StepLR(new SGD(p, { lr: 1 }), 2, 0.5);
  const lrs = [s1.lr]; for (let i = 0; i < 5; i++) { s1.step(); lrs.push(s1.lr); }
  assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25, 0.25]);
  const e = new ExponentialLR(new SGD(p, { lr: 1 }), 0.9); e.step(); e.step(); close(e.lr, 0.81);
  const c = new CosineAnnealingLR(new SGD(p, { lr: 1 }), 10, 0.1); for (let i = 0; i < 5; i++) c.step(); close(c.lr, 0.55);
  const w = linearWarmup(new SGD(p, { lr: 1 }), 3); close(w.lr, 0.25); w.step(); w.step(); w.step(); close(w.lr, 1); w.step(); close(w.lr, 1);
  const r = new ReduceLROnPlateau(new SGD(p, { lr: 1 }), { patience: 1, factor: 0.5 });
  for (const m of [1, 1, 1, 1]) r.step(m);
  close(r.lr, 0.5);
  const c2 = new CosineAnnealingLR(new SGD(p, { lr: 1 }), 10, 0.1); c2.loadStateDict(c.stateDict()); close(c2.lr, c.lr);
});

test('loadStateDict restores the hyper-parameters of every optimizer, not only its buffers', () => {
  const p = () => [tensor([1, 2], { requiresGrad: true })];
  const pairs: [Optimizer, Optimizer][] = [
    [new SGD(p(), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }), new SGD(p(), { lr: 1 })],
    [new Adam(p(), { betas: [0.8, 0.95], eps: 1e-6, weightDecay: 0.1, amsgrad: true }), new Adam(p())],
    [new RMSprop(p(), { alpha: 0.5, momentum: 0.2, centered: true }), new RMSprop(p())],
    [new Adagrad(p(), { lrDecay: 0.1, initialAccumulatorValue: 0.3 }), new Adagrad(p())],
  ];
  for (const [a, b] of pairs) {
    b.loadStateDict(a.stateDict());
    assert.deepEqual(b.options(), a.options(), a.type);
    assert.equal(b.lr, a.lr);
  }
});

test('typed options: an unknown option or a wrong kind of value is a ConfigError naming the valid ones', () => {
  const p = () => [nb.zeros([2], { requiresGrad: true })];
  assert.throws(() => new nb.Adam(p(), { momentum: 0.9 } as nb.AdamOptions),
    (e: Error) => e instanceof nb.ConfigError && /'momentum'/.test(e.message) && /lr, betas, eps, weightDecay, amsgrad/.test(e.message));
  assert.throws(() => nb.createOptimizer('sgd', p(), { betas: [0.9, 0.99] }), (e: Error) => e instanceof nb.ConfigError && /SGD/.test(e.message) && /nesterov/.test(e.message));
  assert.throws(() => new nb.RMSprop(p(), { momentum: '0.9' } as unknown as nb.RmspropOptions), (e: Error) => e instanceof nb.ConfigError && /a number/.test(e.message));
  assert.throws(() => new nb.Adam(p(), { betas: [0.9] } as unknown as nb.AdamOptions), /pair of numbers/);
  // Undefined means "the default", as when fit spreads options that were not given.
  assert.equal(new nb.Adagrad(p(), { lr: undefined }).lr, 0.01);
});

test("defaults are PyTorch's and live in one table that the classes read", () => {
  const p = () => [nb.zeros([2], { requiresGrad: true })];
  assert.equal(nb.OPTIMIZER_DEFAULTS.rmsprop.lr, 0.01);
  for (const name of nb.OPTIMIZER_NAMES) {
    const opt = nb.createOptimizer(name, p());
    const d = nb.OPTIMIZER_DEFAULTS[name] as Record<string, unknown>;
    assert.equal(opt.lr, d.lr, name);
    for (const [k, v] of Object.entries(opt.options())) {
      const key = k === 'beta1' || k === 'beta2' ? 'betas' : k;
      const want = key === 'betas' ? (d.betas as number[])[k === 'beta1' ? 0 : 1] : d[key];
      assert.equal(v, want, `${name}.${k}`);
    }
  }
  assert.equal(new nb.AdamW(p()).weightDecay, 0.01);
});
