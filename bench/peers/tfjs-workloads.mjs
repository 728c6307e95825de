// TensorFlow.js on its current backend: tf.matMul with transpose flags, and training steps with
// tf.variable weights, optimizer.minimize and the built-in losses, reading the cost every step as
// a training loop does. Shared by Node (tfjs.mjs) and the browser page (bench/browser/page.ts).
import { describe, gemmSpecs, gflops, initWeights, measure, smallBatch, trainLimits } from './workloads.mjs';

/** Every workload of `config` on tf's current backend; `images` as oneHotImages gives them. */
export async function tfjsWorkloads(tf, config, images) {
  const timing = config.timing;
  const figures = {}, notes = {};

  async function train(spec, batchAt) {
    const layers = initWeights(spec).map((l) => ({
      w: tf.variable(tf.tensor2d(l.w, [l.fi, l.fo])),
      b: tf.variable(tf.tensor1d(l.b)),
    }));
    const vars = layers.flatMap((l) => [l.w, l.b]);
    const opt = tf.train.sgd(spec.lr);
    const act = spec.activation === 'relu' ? tf.relu : tf.tanh;
    let s = 0, loss = NaN;
    const m = await measure(async () => {
      const [x, y] = batchAt(s++);
      const cost = opt.minimize(() => {
        let h = x;
        layers.forEach((l, i) => {
          h = tf.add(tf.matMul(h, l.w), l.b);
          if (i + 1 < layers.length) h = act(h);
        });
        return spec.loss === 'crossEntropy' ? tf.losses.softmaxCrossEntropy(y, h) : tf.losses.meanSquaredError(y, h);
      }, true, vars);
      // data(), not dataSync(): on webgl a synchronous read stalls the page; on cpu/wasm both are the same.
      loss = (await cost.data())[0];
      tf.dispose([x, y, cost]);
    }, timing, trainLimits(spec, timing));
    tf.dispose(vars);
    opt.dispose();
    return { m, loss };
  }

  for (const g of gemmSpecs(config)) {
    const a = tf.randomNormal(g.transA ? [g.k, g.m] : [g.m, g.k]);
    const b = tf.randomNormal(g.transB ? [g.n, g.k] : [g.k, g.n]);
    const m = await measure(async () => {
      const c = tf.matMul(a, b, g.transA, g.transB);
      await c.data();
      c.dispose();
    }, timing);
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

  const sb = smallBatch(config.small.batch);
  const small = await train(config.small, () => [
    tf.tensor2d(sb.x, [config.small.batch, 2]),
    tf.tensor2d(sb.y, [config.small.batch, 1]),
  ]);
  figures[config.small.id] = 1 / small.m.seconds;
  notes[config.small.id] = `${describe(small.m, 'step')}, loss ${small.loss.toFixed(4)}`;
  return { figures, notes };
}
