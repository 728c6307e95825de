// The lecture-level graph: the notes' names, the loss plumbing collapsed into L, s and J with
// λ > 0, and each node's numbers equal to explain's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultExample, explainBatchTrace, lectureGraph, toDot, toMermaid, toSvg } from '../../src/viz/index.js';

test('lectureGraph names the nodes as the notes do and collapses the loss into L', () => {
  const { net, x, target } = defaultExample();
  const g = lectureGraph(net, x, target);
  assert.deepEqual(g.nodes.map((n) => n.label), ['x', 'W⁽¹⁾', 'z⁽¹⁾', 'b⁽¹⁾', 'h⁽¹⁾', 'W⁽²⁾', 'z⁽²⁾', 'b⁽²⁾', 'ŷ', 't', 'L']);
  assert.equal(g.root, 'L');
  const dot = toDot(g);
  for (const op of ['matmul', 'reshape', 'gather', 'square', 'sub']) assert.doesNotMatch(dot, new RegExp(op));
  // The derivation lines are explain's: z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ = [1, 0.5, -0.5] in the notes' example.
  const z1 = g.nodes.find((n) => n.id === 'z1')!;
  assert.deepEqual(z1.derivation, ['z⁽¹⁾ = W⁽¹⁾ᵀx + b⁽¹⁾ = [1, 0.5, -0.5]', '∂L/∂z⁽¹⁾ = ∂L/∂h⁽¹⁾ ⊙ ReLU′(z⁽¹⁾) = [-0.245, 0.175, -0.105] ⊙ [1, 1, 0] = [-0.245, 0.175, 0]']);
  assert.equal(g.nodes.find((n) => n.id === 'L')!.value, '0.0613');
});

test('with λ > 0 the graph ends in J = L + s, and W⁽ˡ⁾ carries ∂J/∂W⁽ˡ⁾ = ∂L/∂W⁽ˡ⁾ + λW⁽ˡ⁾', async () => {
  const { net, x, target } = defaultExample();
  const g = lectureGraph(net, x, target, { l2: 0.5 });
  assert.equal(g.root, 'J');
  assert.deepEqual(g.edges.filter((e) => e.to === 'J').map((e) => e.from).sort(), ['L', 's']);
  assert.deepEqual(g.edges.filter((e) => e.to === 's').map((e) => e.from), ['W1', 'W2']);
  const rec = explainBatchTrace(net, [x], [target], { l2: 0.5 }).record;
  const s = g.nodes.find((n) => n.id === 's')!;
  const norms = rec.weights.flat(2).reduce((a, v) => a + v * v, 0);
  assert.ok(Math.abs(Number(s.value) - 0.25 * norms) < 1e-3, `s = ${s.value}`);
  assert.match(g.nodes.find((n) => n.id === 'W1')!.derivation!.at(-1)!, /^∂J\/∂W⁽¹⁾ = ∂L\/∂W⁽¹⁾ \+ λW⁽¹⁾ = \[\[/);
  assert.match(toMermaid(g), /s --> J/);
  const svg = await toSvg(g);
  assert.match(svg, />J</);
  assert.match(svg, />W⁽²⁾</);
});
