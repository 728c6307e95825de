import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, value } from '../../src/index.js';
import { buildGraph, retainGrads, toDot, toMermaid, toSvg } from '../../src/viz/index.js';
import { assertGolden } from './golden.js';
import { checkXml } from './xml-check.js';

/** The notes' f = (x + y)·z, after backward. */
function sumProduct() {
  const x = value(-1, 'x'), y = value(2, 'y'), z = value(-3, 'z');
  const q = x.add(y); q.label = 'q';
  const f = q.mul(z); f.label = 'f';
  f.backward();
  return f;
}

/** A 2-2-1 ReLU network with squared error on one batch row, every gradient retained. */
function tensorNet() {
  const x = tensor([[1, 2]], { dtype: 'float64' }); x.name = 'x';
  const W1 = tensor([[0.5, -0.3], [0.2, 0.4]], { dtype: 'float64', requiresGrad: true }); W1.name = 'W1';
  const b1 = tensor([0.1, -0.2], { dtype: 'float64', requiresGrad: true }); b1.name = 'b1';
  const W2 = tensor([[0.7], [-0.5]], { dtype: 'float64', requiresGrad: true }); W2.name = 'W2';
  const t = tensor([[1]], { dtype: 'float64' }); t.name = 't';
  const h = x.matmul(W1).add(b1).relu(); h.name = 'h';
  const L = h.matmul(W2).sub(t).square().sum().mul(0.5); L.name = 'L';
  retainGrads(L);
  L.backward();
  return { L, W1, h };
}

test('scalar graph: nodes, kinds and gradients of f = (x + y)·z', () => {
  const g = buildGraph(sumProduct());
  assert.deepEqual(g.nodes.map((n) => [n.label, n.kind, n.value, n.grad]), [
    ['x', 'input', '-1', '-3'], ['y', 'input', '2', '-3'], ['+', 'op', '1', '-3'], ['z', 'input', '-3', '1'], ['*', 'loss', '-3', '1'],
  ]);
  assert.equal(g.edges.length, 4);
  assert.equal(g.root, 'n4');
});

test('tensor graph: parameters, inputs and the loss are told apart', () => {
  const { L } = tensorNet();
  const g = buildGraph(L);
  const kind = (name: string) => g.nodes.find((n) => n.name === name)?.kind;
  assert.equal(kind('x'), 'input');
  assert.equal(kind('t'), 'input');
  assert.equal(kind('W1'), 'parameter');
  assert.equal(kind('b1'), 'parameter');
  assert.equal(kind('L'), 'loss');
  assert.equal(kind('h'), 'op');
  // retainGrads makes every intermediate show its gradient.
  assert.ok(g.nodes.filter((n) => n.kind === 'op').every((n) => n.grad !== undefined));
});

test('DOT and Mermaid match their golden files', () => {
  assertGolden('sum-product.dot', toDot(sumProduct()));
  assertGolden('sum-product.mmd', toMermaid(sumProduct()));
  const { L } = tensorNet();
  assertGolden('two-layer.dot', toDot(L, { rankdir: 'TB', title: 'two-layer net' }));
  assertGolden('two-layer.mmd', toMermaid(L, { showGrads: false }));
});

test('showValues and showGrads switch the node lines', () => {
  const f = sumProduct();
  assert.match(toDot(f), /value -3\\ngrad 1/);
  const bare = toDot(f, { showValues: false, showGrads: false });
  assert.doesNotMatch(bare, /value|grad/);
  assert.match(toMermaid(f, { rankdir: 'TB' }), /^flowchart TB/);
});

test('toSvg lays the graph out with ELK and writes well-formed SVG', async () => {
  const { L } = tensorNet();
  for (const rankdir of ['LR', 'TB'] as const) {
    const svg = await toSvg(L, { rankdir, title: 'a <two> & "layer" net' });
    checkXml(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<g class="node /g) ?? []).length, buildGraph(L).nodes.length);
    assert.match(svg, /class="node parameter"/);
    assert.match(svg, /class="node loss"/);
    assert.match(svg, /<polyline /);
  }
  checkXml(await toSvg(sumProduct(), { showGrads: false }));
});
