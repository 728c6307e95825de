// The matrix form of explain: its JSON record recomputed from scratch with plain loops in
// float64 (no nabla code), the column convention as the exact transpose, the regularised
// objective, and a big model summarised instead of printed in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mlp } from '../../src/nn/index.js';
import { batchRecordForJson, explainBatch, explainBatchTrace, netOfModule, type BatchRecord } from '../../src/viz/index.js';
import { assertRecomputes } from '../helpers/matrix-backprop.js';

const X = [[0.5, -1.2, 2], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1, 1, -1]];

test('explainBatch: the JSON record recomputes with plain float64 loops (half-MSE and ce, with and without λ)', () => {
  for (const [activation, loss, l2] of [['tanh', 'half-mse', 0.3], ['relu', 'half-mse', 0], ['sigmoid', 'ce', 0.05]] as const) {
    const net = netOfModule(mlp([3, 4, 5, 2], { activation, seed: 4, dtype: 'float64' }));
    const Tm = loss === 'ce' ? [[1, 0], [0, 1], [0, 1], [1, 0]] : [[0.2, -1], [1, 0.5], [0, 0], [-0.3, 0.7]];
    const { record } = explainBatchTrace(net, X, Tm, { loss, l2 });
    assert.equal(record.n, 4);
    assert.deepEqual(record.sizes, [3, 4, 5, 2]);
    assert.deepEqual(record.activations, [activation, activation, 'linear']);
    assert.equal(record.weights[0].length, 3, 'W⁽¹⁾ is [in, out]');
    assert.equal(record.weights[0][0].length, 4);
    // Through JSON text and back, as a user would read it: float64 survives exactly.
    assertRecomputes(JSON.parse(JSON.stringify(batchRecordForJson(record))) as BatchRecord);
    if (l2 > 0) assert.ok(record.J > record.L);
    else assert.equal(record.J, record.L);
  }
});

test('explainBatch text: every W⁽ˡ⁾ and b⁽ˡ⁾, the matrix-form rules and the objective with λ', () => {
  const net = netOfModule(mlp([3, 4, 2], { activation: 'relu', seed: 1, dtype: 'float64' }));
  const text = explainBatch(net, X.slice(0, 2), [[1, 0], [0, 1]], { l2: 0.25 });
  for (const re of [/^ {2}W⁽¹⁾ = \[\[/m, /^ {2}W⁽²⁾ = \[\[/m, /^ {2}b⁽¹⁾ = \[/m, /Z⁽¹⁾ = XW⁽¹⁾ \+ 1b⁽¹⁾ᵀ/, /H⁽¹⁾ = ReLU\(Z⁽¹⁾\)/,
    /L += 1\/\(2n\)‖Ŷ − T‖²/, /J += L \+ λ\/2·Σₗ‖W⁽ˡ⁾‖²_F = .* \+ 0\.25\/2·/, /∂L\/∂Z⁽¹⁾ = ∂L\/∂H⁽¹⁾ ⊙ ReLU′\(Z⁽¹⁾\)/,
    /∂J\/∂W⁽¹⁾ = Xᵀ·∂L\/∂Z⁽¹⁾ \+ λW⁽¹⁾/, /∂J\/∂b⁽²⁾ = 1ᵀ·∂L\/∂Z⁽²⁾/, /∂L\/∂H⁽¹⁾ = ∂L\/∂Z⁽²⁾·W⁽²⁾ᵀ/, /Convention: rows are examples/]) {
    assert.match(text, re);
  }
});

test('explainBatch column convention: the same numbers transposed, W as [out, in], said in the header', () => {
  const net = netOfModule(mlp([3, 4, 2], { activation: 'tanh', seed: 2, dtype: 'float64' }));
  const Tm = [[1, 0], [0, 1]];
  const row = explainBatchTrace(net, X.slice(0, 2), Tm, { l2: 0.1 });
  const col = explainBatchTrace(net, X.slice(0, 2), Tm, { l2: 0.1, convention: 'column' });
  assert.deepEqual(col.record.grads, row.record.grads, 'the record is convention-free');
  const step = (tr: typeof row, lhs: string) => tr.derivation.sections.flatMap((s) => s.steps).find((s) => s.lhs.text === lhs)!.value;
  for (const lhs of ['W⁽¹⁾', 'Z⁽¹⁾', '∂J/∂W⁽²⁾', 'X']) {
    const r = step(row, lhs), c = step(col, lhs);
    assert.deepEqual(c.shape, [r.shape[1], r.shape[0]], `${lhs} transposed`);
    for (let i = 0; i < r.shape[0]; i++) for (let j = 0; j < r.shape[1]; j++) assert.equal(c.data[j * r.shape[0] + i], r.data[i * r.shape[1] + j]);
  }
  const text = explainBatch(net, X.slice(0, 2), Tm, { convention: 'column', l2: 0.1 });
  assert.match(text, /Convention: column vectors \(D2L, CSC413\)/);
  assert.match(text, /Z⁽¹⁾ = W⁽¹⁾X \+ b⁽¹⁾1ᵀ/);
  assert.match(text, /∂J\/∂W⁽¹⁾ = ∂L\/∂Z⁽¹⁾·Xᵀ \+ λW⁽¹⁾/);
});

test('a big model is summarised, in text and in JSON', () => {
  const net = netOfModule(mlp([300, 200, 10], { seed: 0, dtype: 'float64' }));
  const Xb = [Array.from({ length: 300 }, (_, i) => Math.sin(i))];
  const text = explainBatch(net, Xb, [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], { loss: 'ce' });
  assert.ok(text.length < 20_000, `text is ${text.length} characters`);
  assert.match(text, /W⁽¹⁾ = \{300×200: 60000 values, min /);
  const json = JSON.stringify(batchRecordForJson(explainBatchTrace(net, Xb, [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], { loss: 'ce' }).record));
  assert.ok(json.length < 20_000, `JSON is ${json.length} characters`);
  assert.match(json, /"summarized":true/);
});
