// jax-js on its current device: matmul under jit, and training steps as one jitted function of
// valueAndGrad plus the SGD update (the way its README and MNIST demo train). jax-js is lazy, so
// each step awaits the loss; that is also what a training loop that reports the loss does.
// Shared by Node (jax.mjs) and the browser page (bench/browser/page.ts).
import { describe, gemmSpecs, gflops, initWeights, measure, smallBatch, trainLimits } from './workloads.mjs';

/** Every workload of `config` on jax-js's default device; `images` as oneHotImages gives them. */
export async function jaxWorkloads(jax, config, images) {
  const { numpy: np, nn, jit, valueAndGrad, tree } = jax;
  const timing = config.timing;
  const figures = {}, notes = {};

  for (const g of gemmSpecs(config)) {
    const rnd = (r, c) => np.array(Float32Array.from({ length: r * c }, () => Math.random() - 0.5)).reshape([r, c]);
    const a = g.transA ? rnd(g.k, g.m) : rnd(g.m, g.k);
    const b = g.transB ? rnd(g.n, g.k) : rnd(g.k, g.n);
    const mm = jit((x, y) => np.matmul(g.transA ? x.transpose() : x, g.transB ? y.transpose() : y));
    const m = await measure(async () => {
      const c = mm(a.ref, b.ref);
      await c.blockUntilReady();
      c.dispose();
    }, timing);
    a.dispose();
    b.dispose();
    mm.dispose();
    figures[g.id] = gflops(g, m);
    notes[g.id] = describe(m, 'call');
  }

  /** Parameters as a flat list [w0, b0, w1, b1, ...] (a jax-js JsTree). */
  const params = (spec) => initWeights(spec).flatMap((l) => [np.array(l.w).reshape([l.fi, l.fo]), np.array(l.b)]);

  function makeStep(spec) {
    const act = spec.activation === 'relu' ? nn.relu : np.tanh;
    const layers = spec.sizes.length - 1;
    const loss = (p, x, y) => {
      let h = x;
      for (let i = 0; i < layers; i++) {
        h = np.matmul(h, p[2 * i]).add(p[2 * i + 1]);
        if (i + 1 < layers) h = act(h);
      }
      if (spec.loss === 'crossEntropy') return nn.logSoftmax(h, -1).mul(y).sum().mul(-1 / spec.batch);
      return np.mean(np.square(h.sub(y)));
    };
    return jit((p, x, y) => {
      const [l, grads] = valueAndGrad(loss)(tree.ref(p), x, y);
      return [l, tree.map((w, gw) => w.sub(gw.mul(spec.lr)), p, grads)];
    });
  }

  async function train(spec, batchAt) {
    const step = makeStep(spec);
    let p = params(spec), s = 0, loss = NaN;
    const m = await measure(async () => {
      const [x, y] = batchAt(s++);
      const [l, next] = step(p, x, y);
      p = next;
      loss = (await l.data())[0];
    }, timing, trainLimits(spec, timing));
    tree.dispose(p);
    step.dispose();
    return { m, loss };
  }

  const B = config.mlp.batch, batches = Math.floor(images.n / B);
  const mlp = await train(config.mlp, (s) => {
    const start = (s % batches) * B;
    return [
      np.array(images.x.subarray(start * images.d, (start + B) * images.d)).reshape([B, images.d]),
      np.array(images.y.subarray(start * images.classes, (start + B) * images.classes)).reshape([B, images.classes]),
    ];
  });
  figures[config.mlp.id] = B / mlp.m.seconds;
  notes[config.mlp.id] = `${describe(mlp.m, 'step')}, loss ${mlp.loss.toFixed(3)}`;

  const sb = smallBatch(config.small.batch);
  const small = await train(config.small, () => [
    np.array(sb.x).reshape([config.small.batch, 2]),
    np.array(sb.y).reshape([config.small.batch, 1]),
  ]);
  figures[config.small.id] = 1 / small.m.seconds;
  notes[config.small.id] = `${describe(small.m, 'step')}, loss ${small.loss.toFixed(4)}`;
  return { figures, notes };
}
