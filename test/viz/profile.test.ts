import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randn } from '../../src/index.js';
import { formatProfile, profile, type NetLike } from '../../src/viz/index.js';

const net: NetLike = { layers: [
  { weight: randn([20, 16], { seed: 1 }), bias: randn([16], { seed: 2 }), activation: 'relu' },
  { weight: randn([16, 8], { seed: 3 }), bias: randn([8], { seed: 4 }), activation: 'tanh' },
  { weight: randn([8, 3], { seed: 5 }), bias: randn([3], { seed: 6 }), activation: 'linear' },
] };

test('profile: FLOPs are 2·n·in·out forward and ≈ 2× that backward (1× for layer 1)', () => {
  const n = 32;
  const p = profile(net, randn([n, 20], { seed: 7 }), { repeats: 3, warmup: 1 });
  assert.deepEqual(p.layers.map((l) => l.forwardFlops), [2 * n * 20 * 16, 2 * n * 16 * 8, 2 * n * 8 * 3]);
  assert.deepEqual(p.layers.map((l) => l.backwardFlops), [2 * n * 20 * 16, 4 * n * 16 * 8, 4 * n * 8 * 3]);
  assert.equal(p.forwardFlops, 2 * n * (20 * 16 + 16 * 8 + 8 * 3));
  // The count behind the rule of thumb: between 1× (layer 1 needs no ∂H) and 2× a forward.
  assert.equal(p.flopRatio, (20 * 16 + 2 * (16 * 8 + 8 * 3)) / (20 * 16 + 16 * 8 + 8 * 3));
  assert.ok(p.flopRatio > 1 && p.flopRatio < 2, `flopRatio ${p.flopRatio}`);
  assert.ok(p.ratio > 0 && Number.isFinite(p.ratio), `ratio ${p.ratio}`);
  for (const l of p.layers) assert.ok(l.forwardMs >= 0 && l.backwardMs >= 0);
});

test('profile keeps exactly `repeats` timings: finite medians with repeats 1 and no warm-up', () => {
  const p = profile(net, randn([16, 20], { seed: 7 }), { repeats: 1, warmup: 0 });
  assert.equal(p.repeats, 1);
  for (const v of [p.forwardMs, p.backwardMs, p.ratio]) assert.ok(Number.isFinite(v), `forward ${p.forwardMs} ms, backward ${p.backwardMs} ms, ratio ${p.ratio}`);
  for (const l of p.layers) assert.ok(Number.isFinite(l.forwardMs) && Number.isFinite(l.backwardMs));
});

test('profile: memory of training vs inference', () => {
  const n = 32;
  const p = profile(net, randn([n, 20], { seed: 7 }), { repeats: 1, warmup: 0 });
  const m = p.memory;
  assert.equal(m.parameterBytes, 4 * (20 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3));
  assert.equal(m.gradientBytes, m.parameterBytes);
  // Layer 1 keeps at least its input batch and its output; everything kept adds up.
  assert.ok(p.layers[0].savedBytes >= 4 * n * (20 + 16));
  assert.ok(m.savedActivationBytes >= p.layers.reduce((a, l) => a + l.savedBytes, 0));
  assert.equal(m.trainingBytes, 2 * m.parameterBytes + m.savedActivationBytes);
  assert.equal(m.inferenceBytes, m.parameterBytes + 4 * n * (20 + 16));
  assert.ok(m.trainingBytes > m.inferenceBytes);
  // profile works on copies: the caller's parameters get no .grad.
  assert.equal(net.layers[0].weight.grad, null);
});

test('formatProfile prints a table with the rule of thumb', () => {
  const text = formatProfile(profile(net, randn([8, 20], { seed: 7 }), { repeats: 1, warmup: 0 }));
  assert.match(text, /^layer\s+in→out/m);
  assert.match(text, /^1\s+20→16\s+relu/m);
  assert.match(text, /rule of thumb ≈ 2×/);
  assert.match(text, /memory, training:/);
});

test('profile refuses a batch of the wrong width', () => {
  assert.throws(() => profile(net, randn([4, 3])), /batch must have shape \[n, 20\]/);
});
