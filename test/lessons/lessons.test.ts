// Every lesson holds, draws a well-formed SVG, and reports the numbers its verdict rests on;
// the checks below re-derive each verdict from those numbers, so a lesson cannot say "holds"
// without the measurement to back it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLesson, lessonNames, type LessonResult } from '../../src/lessons/index.js';
import { checkXml } from '../viz/xml-check.js';

async function run(name: string): Promise<LessonResult & { figures: Record<string, any> }> {
  const r = await runLesson(name);
  assert.equal(r.lesson, name);
  assert.ok(r.claim.length > 20);
  checkXml(r.svg);
  assert.match(r.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(r.measurement.length > 0);
  assert.equal(r.holds, true, `${name} does not hold: ${r.measurement.join('; ')}`);
  return r as LessonResult & { figures: Record<string, any> };
}

test('the lesson list is the notes\' demonstrations', () => {
  for (const n of ['xor', 'pattern-ab', 'feature-map', 'polynomial', 'universal', 'sigmoid-to-step', 'deep-linear', 'threshold-units', 'jacobian-size', 'backward-cost', 'per-example']) {
    assert.ok(lessonNames().includes(n), n);
  }
});

test('xor: linear ≤ 75%, MLP 100%, hand-built net exact', async () => {
  const { figures: f } = await run('xor');
  assert.ok(f.linear_accuracy <= 0.75);
  assert.equal(f.mlp_accuracy, 1);
  assert.deepEqual(f.hand_built_outputs, [0, 1, 1, 0]);
});

test('pattern-ab: every pixel mean is 0.25 in both classes; linear < 100%, MLP 100% on all 32', async () => {
  const { figures: f } = await run('pattern-ab');
  assert.ok([...f.class_means.A, ...f.class_means.B].every((v: number) => v === 0.25));
  assert.ok(f.linear_accuracy < 1);
  assert.equal(f.mlp_accuracy, 1);
});

test('feature-map: ψ(x) = (x₁, x₂, x₁x₂) makes XOR separable', async () => {
  const { figures: f } = await run('feature-map');
  assert.ok(f.linear_on_x_accuracy <= 0.75);
  assert.equal(f.linear_on_psi_accuracy, 1);
});

test('polynomial: training error falls with degree, degree 3 generalises best, 9 interpolates', async () => {
  const { figures: f } = await run('polynomial');
  assert.deepEqual(f.degrees, [0, 1, 3, 9]);
  const [h0, h1, h3, h9] = f.held_out_rmse;
  assert.ok(h3 < h0 && h3 < h1 && h3 < h9);
  assert.ok(f.train_rmse[3] < 1e-6);
  assert.equal(f.coefficients[3].length, 10);
});

test('universal: error falls with width; 256 of 256 Boolean functions of 3 inputs exact', async () => {
  const { figures: f } = await run('universal');
  assert.ok(f.mse[0] > f.mse[1] && f.mse[1] > f.mse[2]);
  assert.deepEqual(f.binary, { D: 3, hidden_units: 8, functions: 256, exact: 256 });
});

test('sigmoid-to-step: the gap falls with k, below 0.01 at k = 50', async () => {
  const { figures: f } = await run('sigmoid-to-step');
  assert.ok(f.max_gap[0] > f.max_gap[1] && f.max_gap[1] > f.max_gap[2] && f.max_gap[2] < 0.01);
});

test('deep-linear: a product of linear layers is one linear layer; it cannot fit XOR', async () => {
  const { figures: f } = await run('deep-linear');
  assert.ok(f.max_abs_difference < 1e-12);
  assert.ok(f.xor_accuracy <= 0.75);
});

test('threshold-units: no gradient reaches weights in front of step units', async () => {
  const { figures: f } = await run('threshold-units');
  assert.equal(f.step_net.nonzero_first_layer_grads, 0);
  assert.equal(f.step_net.weights_moved, 0);
  assert.ok(f.sigmoid_net.nonzero_first_layer_grads > 0);
});

test('backward-cost: counted FLOPs give ratio (2L − 1)/L → 2, slopes 1 (depth) and 2 (width)', async () => {
  const { figures: f } = await run('backward-cost');
  for (const c of f.by_depth) assert.equal(c.backward * c.depth, c.forward * (2 * c.depth - 1));
  // forward FLOPs are exactly 2·batch·width²·depth: one multiply-add per weight per example
  for (const c of f.by_width) assert.equal(c.forward, 2 * f.batch * c.width * c.width * c.depth);
  assert.ok(Math.abs(f.width_slope - 2) < 1e-9);
  assert.ok(Math.abs(f.depth_slope - 1) <= 0.1);
});

test("jacobian-size: the notes' 274,877,906,944 bytes; jacobian() is N·M times one VJP and agrees with it", async () => {
  const { figures: f } = await run('jacobian-size');
  assert.equal(f.notes_bytes, 64 * 4096 * 64 * 4096 * 4);
  assert.equal(f.notes_bytes, 274_877_906_944);
  const { N, D, M } = f.small;
  assert.deepEqual(f.small.jacobian_shape, [N, M, N, D]);
  assert.equal(f.small.jacobian_bytes, f.small.vjp_bytes * N * M);
  assert.ok(f.small.max_abs_difference < 1e-4);
});

test('per-example: the mean of vmap(grad) per-example gradients is the minibatch gradient', async () => {
  const { figures: f } = await run('per-example');
  assert.deepEqual(f.per_example_shape, [16, 5, 7]);
  assert.ok(f.max_abs_difference < 1e-12);
  assert.ok(f.max_row_difference < 1e-12);
});
