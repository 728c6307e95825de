// jacobian-size: the Freiburg notes' argument for never forming the Jacobian. For Y = XW with X
// N×D and Y N×M, ∂Y/∂X has N·M·N·D entries: at N = 64, D = M = 4096 in float32 that is
// 274,877,906,944 bytes (256 GiB). On a small instance nabla's jacobian() really builds it and
// is compared with one VJP, which gives ∂L/∂X = ∂L/∂Y·Wᵀ directly in N·D numbers.
import { jacobian, vjp } from '../autograd/transforms.js';
import { randn } from '../tensor/creation.js';
import { matmul } from '../tensor/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { verdict } from './common.js';
import { figure } from './figure.js';
import type { Lesson } from './lesson.js';

/** Bytes of ∂Y/∂X for Y = XW, X of N×D, Y of N×M, at `bytesPer` bytes per number. */
export const jacobianBytes = (N: number, D: number, M: number, bytesPer = 4): number => N * M * N * D * bytesPer;

export const jacobianSizeLesson: Lesson = {
  name: 'jacobian-size',
  source: 'Freiburg notes, backprop for a linear layer in matrix form: the 256 GB Jacobian',
  claim: 'The Jacobian ∂Y/∂X of a 64×4096 by 4096×4096 linear layer would take 64·4096·64·4096·4 = 274,877,906,944 bytes (256 GiB) in float32; a vector-Jacobian product gives ∂L/∂X = ∂L/∂Y·Wᵀ in N·D numbers without forming it.',
  async run() {
    const notes = jacobianBytes(64, 4096, 4096);
    const N = 4, D = 24, M = 16;
    const X = randn([N, D], { seed: 1 }), W = randn([D, M], { seed: 2 }), G = randn([N, M], { seed: 3 });
    const f = (x: Tensor) => matmul(x, W);
    let t0 = performance.now();
    const J = jacobian(f)(X);
    const jacMs = performance.now() - t0;
    t0 = performance.now();
    const [, [dX]] = vjp(f, [X], G);
    const vjpMs = performance.now() - t0;
    // Contract the Jacobian with the cotangent by hand: dX[a,b] = Σ_{i,j} G[i,j]·J[i,j,a,b].
    let maxDiff = 0;
    for (let a = 0; a < N; a++) for (let b = 0; b < D; b++) {
      let s = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < M; j++) s += G.data[i * M + j] * J.data[((i * M + j) * N + a) * D + b];
      maxDiff = Math.max(maxDiff, Math.abs(s - dX.data[a * D + b]));
    }
    const jacBytes = J.data.byteLength, vjpBytes = dX.data.byteLength;
    const shapeOk = J.shape.join('×') === [N, M, N, D].join('×');
    // Stated tolerance: float32 sums of N·M products, 1e-4.
    const holds = notes === 274_877_906_944 && shapeOk && jacBytes === jacobianBytes(N, D, M, X.data.BYTES_PER_ELEMENT) && vjpBytes * N * M === jacBytes && maxDiff < 1e-4;
    const measurement = [
      `the notes' shapes N = 64, D = M = 4096: ${notes.toLocaleString('en-US')} bytes = ${notes / 2 ** 30} GiB in float32`,
      `small instance N = ${N}, D = ${D}, M = ${M}: jacobian() has shape [${J.shape.join(', ')}], ${jacBytes.toLocaleString('en-US')} bytes; one VJP's ∂L/∂X has ${vjpBytes.toLocaleString('en-US')} bytes (${N * M}× less)`,
      `the Jacobian contracted with ∂L/∂Y equals the VJP to ${maxDiff.toExponential(1)}`,
      `time (reported, not judged): jacobian() ${jacMs.toFixed(2)} ms, one VJP ${vjpMs.toFixed(2)} ms`,
    ];
    const Ns = [1, 2, 4, 8, 16, 32, 64];
    const svg = figure('Why backprop never forms the Jacobian', [
      { title: 'bytes of ∂Y/∂X vs ∂L/∂X (D = M = 4096, float32)', xTitle: 'log₂ N (batch)', yTitle: 'log₁₀ bytes', series: [
        { x: Ns.map(Math.log2), y: Ns.map((n) => Math.log10(jacobianBytes(n, 4096, 4096))), label: 'Jacobian N·M·N·D·4' },
        { x: Ns.map(Math.log2), y: Ns.map((n) => Math.log10(n * 4096 * 4)), label: 'VJP result N·D·4' },
      ] },
    ], [this.claim, ...measurement, verdict(holds)]);
    return {
      lesson: this.name, claim: this.claim, holds, svg, measurement,
      figures: { notes_bytes: notes, small: { N, D, M, jacobian_shape: J.shape, jacobian_bytes: jacBytes, vjp_bytes: vjpBytes, max_abs_difference: maxDiff }, jacobian_ms: jacMs, vjp_ms: vjpMs },
    };
  },
};
