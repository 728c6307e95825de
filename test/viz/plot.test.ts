import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/index.js';
import { plotDecisionBoundary, plotHistory } from '../../src/viz/index.js';
import { checkXml } from './xml-check.js';

test('plotHistory: one panel per quantity, train solid and validation dashed, well-formed', () => {
  const svg = plotHistory({
    loss: [1, 0.6, 0.4, 0.3], val_loss: [1.1, 0.7, 0.55, 0.5],
    accuracy: [0.5, 0.7, 0.8, 0.85], val_accuracy: [0.45, 0.65, 0.7, 0.72],
  }, { title: 'spirals <2-16-2> & co' });
  checkXml(svg);
  assert.match(svg, /id="panel-loss"/);
  assert.match(svg, /id="panel-accuracy"/);
  assert.equal((svg.match(/stroke-dasharray/g) ?? []).length >= 2, true);
  checkXml(plotHistory({ loss: [2] }, { logLoss: true }));
  checkXml(plotHistory({ loss: [] }));
  assert.throws(() => plotHistory({} as never), /history.loss/);
});

test('plotDecisionBoundary: coloured grid cells and data points, well-formed', () => {
  const x = [[-1, -1], [1, 1], [-1, 1], [1, -1]], y = [0, 0, 1, 1];
  // XOR-like rule: probability of class 1 where the signs differ.
  const svg = plotDecisionBoundary((pts) => pts.map(([a, b]) => (a * b < 0 ? 0.9 : 0.1)), { x, y }, { resolution: 10, title: 'xor' });
  checkXml(svg);
  assert.equal((svg.match(/<circle /g) ?? []).length, 4);
  assert.equal((svg.match(/<g class="regions"[\s\S]*?<\/g>/)![0].match(/<rect /g) ?? []).length, 100);
  // Tensors in, class-probability rows out (3 classes).
  const svg3 = plotDecisionBoundary(
    (pts) => tensor(pts.map(([a]) => (a < 0 ? [0.8, 0.1, 0.1] : [0.1, 0.1, 0.8]))),
    { x: tensor([[0, 0], [1, 2], [-1, 3]]), y: tensor([[1, 0, 0], [0, 0, 1], [0, 1, 0]]) },
    { resolution: 5 },
  );
  checkXml(svg3);
  assert.throws(() => plotDecisionBoundary(() => [0.5], { x, y }, { resolution: 3 }), /predict returned 1 results for 9 points/);
});
