// profile(): forward and backward of a dense network on a batch, per layer: FLOPs, measured
// time, bytes the tape keeps for backward, the measured backward/forward ratio next to the
// notes' rule of thumb (backward ≈ two forward passes), and training vs inference memory.
import { ConfigError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { add, matmul, mul, square, sub, sum, zeros } from '../../tensor/index.js';
import { activationOf, applyActivation, layerSizes, type Activation, type NetLike } from '../net.js';

export interface ProfileOptions {
  /** Timed runs per measurement; the median is reported (default 7). */
  repeats?: number;
  /** Untimed runs first, so that JIT warm-up does not count (default 2). */
  warmup?: number;
  /** Targets [n, out] for the loss ½‖Ŷ − T‖²/n (default zeros; the values do not change the cost). */
  target?: Tensor;
}

export interface LayerProfile {
  /** 1-based, as the notes number layers. */
  layer: number;
  inputs: number;
  outputs: number;
  activation: Activation;
  /** 2·n·in·out: one multiply-add per weight per example (bias and activation not counted). */
  forwardFlops: number;
  /** ∂W = Hᵀ·∂Z (2·n·in·out) plus ∂H = ∂Z·Wᵀ (2·n·in·out) except in layer 1, whose input needs no gradient. */
  backwardFlops: number;
  /** Median time of this layer's forward (recording for backward), ms. */
  forwardMs: number;
  /** Median time of this layer's backward given ∂L/∂h⁽ˡ⁾, ms. */
  backwardMs: number;
  /** backwardMs / forwardMs. */
  ratio: number;
  /** Bytes of tensors this layer's forward left on the tape (layer 1 includes the input batch). */
  savedBytes: number;
  parameterBytes: number;
}

export interface ProfileReport {
  batch: number;
  dtype: Tensor['dtype'];
  repeats: number;
  layers: LayerProfile[];
  forwardFlops: number;
  backwardFlops: number;
  /** Median of whole forward passes (layers + loss), ms. */
  forwardMs: number;
  /** Median of whole loss.backward() calls, ms. */
  backwardMs: number;
  /** Measured backward / forward time for the whole network. */
  ratio: number;
  /** backwardFlops / forwardFlops, the count behind the rule of thumb. */
  flopRatio: number;
  /** The notes' rule of thumb: a backward pass costs about two forward passes. */
  ruleOfThumb: 2;
  memory: {
    parameterBytes: number;
    gradientBytes: number;
    /** Everything the tape keeps from the forward pass until backward (all layers and the loss). */
    savedActivationBytes: number;
    /** Parameters + gradients + saved activations. */
    trainingBytes: number;
    /** Parameters + the largest one layer's input and output (nothing is kept for backward). */
    inferenceBytes: number;
  };
}

const now = () => performance.now();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Params { w: Tensor; b: Tensor | null; act: Activation; param?: number }

function layerForward(h: Tensor, p: Params): Tensor {
  const a = matmul(h, p.w);
  return applyActivation(p.act, p.b ? add(a, p.b) : a, p.param);
}

/** Tensors reachable from `out` without passing `stops` (the layer's input, the parameters). */
function keptBy(out: Tensor, stops: ReadonlySet<Tensor>): Tensor[] {
  const seen = new Set<Tensor>([out]);
  const todo = [out];
  while (todo.length) {
    const t = todo.pop()!;
    for (const c of t.node?.inputs ?? []) {
      if (!seen.has(c) && !stops.has(c)) { seen.add(c); todo.push(c); }
    }
  }
  return [...seen];
}

const bytesOf = (ts: Iterable<Tensor>) => {
  let n = 0;
  for (const t of ts) n += t.size * t.data.BYTES_PER_ELEMENT;
  return n;
};

export function profile(net: NetLike, batch: Tensor, opts: ProfileOptions = {}): ProfileReport {
  const sizes = layerSizes(net);
  if (batch.ndim !== 2 || batch.shape[1] !== sizes[0]) {
    throw new ConfigError(`profile: the batch must have shape [n, ${sizes[0]}], got [${batch.shape.join(', ')}]`);
  }
  const repeats = Math.max(1, opts.repeats ?? 7), warmup = Math.max(0, opts.warmup ?? 2);
  const n = batch.shape[0], L = net.layers.length;
  // Copies, so that profiling never adds into the caller's .grad.
  const params: Params[] = net.layers.map((l) => ({
    w: l.weight.detach().requiresGrad_(),
    b: l.bias ? l.bias.detach().requiresGrad_() : null,
    act: activationOf(l),
    param: l.param,
  }));
  const paramSet = new Set<Tensor>(params.flatMap((p) => (p.b ? [p.w, p.b] : [p.w])));
  const x = batch.detach();
  const target = opts.target ?? zeros([n, sizes[L]], { dtype: x.dtype });
  const zeroGrads = () => { for (const t of paramSet) t.grad = null; };

  // Whole network: forward (layers + loss), then backward, repeated on fresh graphs. Before the
  // last backward (untimed), walk each layer's part of the graph for the memory the tape holds.
  const fwdTimes: number[] = [], bwdTimes: number[] = [];
  const saved: number[] = [];
  let lossSaved = 0;
  for (let r = 0; r < warmup + repeats; r++) {
    zeroGrads();
    const t0 = now();
    const outs: Tensor[] = [];
    let h = x;
    for (const p of params) { h = layerForward(h, p); outs.push(h); }
    const loss = mul(sum(square(sub(h, target))), 0.5 / n);
    const t1 = now();
    if (r === warmup + repeats - 1) {
      let prev: Tensor = x;
      outs.forEach((o, i) => {
        const kept = keptBy(o, new Set([...paramSet, prev]));
        saved.push(bytesOf(i === 0 ? [...kept, x] : kept));
        prev = o;
      });
      lossSaved = bytesOf(keptBy(loss, new Set([prev])).filter((t) => t !== loss));
    }
    const t2 = now();
    loss.backward();
    const t3 = now();
    if (r >= warmup) { fwdTimes.push(t1 - t0); bwdTimes.push(t3 - t2); }
  }

  // Per layer: time its forward, and its backward given a fixed ∂L/∂h⁽ˡ⁾.
  const layers: LayerProfile[] = [];
  let hIn = x;
  params.forEach((p, i) => {
    const [inputs, outputs] = p.w.shape;
    const input = i === 0 ? hIn : hIn.detach().requiresGrad_();
    const f: number[] = [], b: number[] = [];
    let out = layerForward(input, p);
    const seed = new Tensor(out.data.map(() => 1 / out.size), out.shape);
    for (let r = 0; r < warmup + repeats; r++) {
      zeroGrads();
      input.grad = null;
      const t0 = now();
      out = layerForward(input, p);
      const t1 = now();
      out.backward(seed);
      const t2 = now();
      if (r >= warmup) { f.push(t1 - t0); b.push(t2 - t1); }
    }
    const flops = 2 * n * inputs * outputs;
    const forwardMs = median(f), backwardMs = median(b);
    layers.push({
      layer: i + 1, inputs, outputs, activation: p.act,
      forwardFlops: flops,
      backwardFlops: i === 0 ? flops : 2 * flops,
      forwardMs, backwardMs, ratio: forwardMs > 0 ? backwardMs / forwardMs : NaN,
      savedBytes: saved[i],
      parameterBytes: bytesOf(p.b ? [p.w, p.b] : [p.w]),
    });
    hIn = out.detach();
  });
  zeroGrads();

  const parameterBytes = bytesOf(paramSet);
  const savedActivationBytes = saved.reduce((a, s) => a + s, 0) + lossSaved;
  const bpe = x.data.BYTES_PER_ELEMENT;
  const widest = Math.max(...layers.map((l) => n * (l.inputs + l.outputs) * bpe));
  const forwardFlops = layers.reduce((a, l) => a + l.forwardFlops, 0);
  const backwardFlops = layers.reduce((a, l) => a + l.backwardFlops, 0);
  const forwardMs = median(fwdTimes), backwardMs = median(bwdTimes);
  return {
    batch: n, dtype: x.dtype, repeats, layers,
    forwardFlops, backwardFlops, forwardMs, backwardMs,
    ratio: forwardMs > 0 ? backwardMs / forwardMs : NaN,
    flopRatio: backwardFlops / forwardFlops,
    ruleOfThumb: 2,
    memory: {
      parameterBytes,
      gradientBytes: parameterBytes,
      savedActivationBytes,
      trainingBytes: 2 * parameterBytes + savedActivationBytes,
      inferenceBytes: parameterBytes + widest,
    },
  };
}
