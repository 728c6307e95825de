// node --import tsx bench/per-example.ts [--quick]: per-example gradients of an MLP loss three
// ways on the default backend: vmap(grad(loss)) (batching rules, one pass over the batch), a
// JavaScript loop of grad over examples, and, for scale, one minibatch gradient. Prints medians.
import { performance } from 'node:perf_hooks';
import { backendName, grad, randn, stack, vmap, type Tensor } from '../src/index.js';

const quick = process.argv.includes('--quick');
const [n, d, h, k] = [128, 64, 32, 10];
const reps = quick ? 1 : 15;
const W1 = randn([d, h], { seed: 0 }).mul(0.1), W2 = randn([h, k], { seed: 1 }).mul(0.1);
const X = randn([n, d], { seed: 2 }), T = randn([n, k], { seed: 3 });
const loss = (W1: Tensor, W2: Tensor, x: Tensor, t: Tensor) => x.matmul(W1).tanh().matmul(W2).sub(t).square().sum();

function median(fn: () => unknown): number {
  for (let w = 0; w < (quick ? 1 : 10); w++) fn(); // warm-up (the JIT needs a few calls)
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const perExample = vmap(grad(loss, [0, 1]), [null, null, 0, 0]);
const vmapped = median(() => perExample(W1, W2, X, T));
const looped = median(() => {
  const gs = Array.from({ length: n }, (_, i) => grad(loss, [0, 1])(W1, W2, X.slice(i), T.slice(i)));
  return [stack(gs.map((g) => g[0])), stack(gs.map((g) => g[1]))];
});
const minibatch = median(() => grad((a: Tensor, b: Tensor) => loss(a, b, X, T), [0, 1])(W1, W2));
console.log(`per-example gradients, MLP ${d}-${h}-${k}, batch ${n}, float32, backend ${backendName()}`);
console.log(`  vmap(grad(loss))     ${vmapped.toFixed(2)} ms`);
console.log(`  loop of grad         ${looped.toFixed(2)} ms  (${(looped / vmapped).toFixed(1)}× vmap)`);
console.log(`  one minibatch grad   ${minibatch.toFixed(2)} ms`);
console.log(JSON.stringify({ vmapMs: vmapped, loopMs: looped, minibatchMs: minibatch }));
