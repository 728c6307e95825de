// TensorFlow.js on its cpu and wasm (XNNPACK) backends: tf.matMul with transpose flags, and
// training steps with tf.variable weights, optimizer.minimize and the built-in losses, reading
// the cost every step as a training loop does.
import {
  config, describe, emit, gemmSpecs, gflops, initWeights, loadImages, measure, peerVersion, requirePeer, smallBatch, trainLimits,
} from './common.mjs';

// tfjs prints a hint about tfjs-node to the console on import; keep stdout for the result line.
const log = console.log;
console.log = (...args) => console.error(...args);
const tf = requirePeer('@tensorflow/tfjs');
requirePeer('@tensorflow/tfjs-backend-wasm');
console.log = log;

const images = loadImages();
const sb = smallBatch(config.small.batch);

async function train(spec, batchAt) {
  const layers = initWeights(spec).map((l) => ({
    w: tf.variable(tf.tensor2d(l.w, [l.fi, l.fo])),
    b: tf.variable(tf.tensor1d(l.b)),
  }));
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const opt = tf.train.sgd(spec.lr);
  const act = spec.activation === 'relu' ? tf.relu : tf.tanh;
  let s = 0, loss = NaN;
  const m = await measure(() => {
    const [x, y] = batchAt(s++);
    const cost = opt.minimize(() => {
      let h = x;
      layers.forEach((l, i) => {
        h = tf.add(tf.matMul(h, l.w), l.b);
        if (i + 1 < layers.length) h = act(h);
      });
      return spec.loss === 'crossEntropy' ? tf.losses.softmaxCrossEntropy(y, h) : tf.losses.meanSquaredError(y, h);
    }, true, vars);
    loss = cost.dataSync()[0];
    tf.dispose([x, y, cost]);
  }, trainLimits(spec));
  tf.dispose(vars);
  opt.dispose();
  return { m, loss };
}

const systems = {};
for (const backend of ['cpu', 'wasm']) {
  if (!(await tf.setBackend(backend))) continue;
  await tf.ready();
  const figures = {}, notes = {};

  for (const g of gemmSpecs()) {
    const a = tf.randomNormal(g.transA ? [g.k, g.m] : [g.m, g.k]);
    const b = tf.randomNormal(g.transB ? [g.n, g.k] : [g.k, g.n]);
    const m = await measure(() => {
      const c = tf.matMul(a, b, g.transA, g.transB);
      c.dataSync();
      c.dispose();
    });
    tf.dispose([a, b]);
    figures[g.id] = gflops(g, m);
    notes[g.id] = describe(m, 'call');
  }

  const B = config.mlp.batch, batches = Math.floor(images.n / B);
  const mlp = await train(config.mlp, (s) => {
    const start = (s % batches) * B;
    return [
      tf.tensor2d(images.x.subarray(start * images.d, (start + B) * images.d), [B, images.d]),
      tf.tensor2d(images.y.subarray(start * images.classes, (start + B) * images.classes), [B, images.classes]),
    ];
  });
  figures[config.mlp.id] = B / mlp.m.seconds;
  notes[config.mlp.id] = `${describe(mlp.m, 'step')}, loss ${mlp.loss.toFixed(3)}`;

  const small = await train(config.small, () => [
    tf.tensor2d(sb.x, [config.small.batch, 2]),
    tf.tensor2d(sb.y, [config.small.batch, 1]),
  ]);
  figures[config.small.id] = 1 / small.m.seconds;
  notes[config.small.id] = `${describe(small.m, 'step')}, loss ${small.loss.toFixed(4)}`;

  systems[`tfjs ${backend}`] = { version: peerVersion('@tensorflow/tfjs'), figures, notes };
}
emit(systems);
