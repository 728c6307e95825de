// The activations: the notes' g(z) between layers. Each entry is the whole definition: forward
// (a fused kernel, or a composition of other ops when a kernel would not pay), derivative, the
// notes' symbols, ONNX forms, parameters with their defaults, and how nn, the CLI and the
// playground offer it. A new activation is one entry here (plus kernels, if it earns them).
import type { ActivationInfo, OnnxForm, UnaryOpDef } from './op.js';

const BOTH = ['wasm', 'native'] as const;
const WASM = ['wasm'] as const;

type Def = Omit<UnaryOpDef, 'kind' | 'arity' | 'params' | 'differentiable'> & Partial<Pick<UnaryOpDef, 'params' | 'differentiable'>>;
const unary = (d: Def): UnaryOpDef => ({ kind: 'unary', arity: 1, params: [], differentiable: true, ...d });

const act = (module: string, init: 'he' | 'xavier', more: Partial<ActivationInfo> = {}): ActivationInfo =>
  ({ module, init, hidden: true, elementwise: true, ...more });
const one = (op: string, attrs?: OnnxForm['nodes'][number]['attrs']): OnnxForm[] => [{ nodes: [{ op, inputs: ['x'], attrs }] }];

function sigmoidRef(v: number): number {
  // Two branches so that exp never overflows: σ(v) = 1/(1+e^{−v}) = e^{v}/(1+e^{v}).
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

// GELU, tanh approximation (PyTorch's approximate='tanh', BERT): 0.5·x·(1 + tanh(c·(x + k·x³))).
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

export const identity = unary({
  name: 'identity', compose: (_T, x) => x, derivative: (T, x) => T.onesLike(x),
  math: { label: 'id', tex: '\\mathrm{id}', formula: 'z', derivative: '1' },
  onnx: [{ nodes: [] }],
  activation: act('Identity', 'xavier', { aliases: ['linear', 'none'], hidden: false }),
});

export const heaviside = unary({
  name: 'heaviside', kernel: { code: 14, ref: (v) => (v > 0 ? 1 : 0), compiled: BOTH }, differentiable: false,
  math: { label: 'H', tex: 'H', formula: '1 if x > 0 else 0', derivative: '0 (undefined at 0)' },
});

export const hardThreshold = unary({
  name: 'hardThreshold', compose: (T, x) => T.heaviside(x), differentiable: false,
  math: { label: 'step', tex: '\\mathbb{1}', formula: '1 if z > 0 else 0', derivative: '0 (undefined at 0)' },
  // 1 where x > 0 else 0: a bool comparison cast back to float (ONNX's FLOAT is 1).
  onnx: [{ nodes: [{ op: 'Greater', inputs: ['x', { c: 0 }] }, { op: 'Cast', inputs: [0], attrs: { to: { int: 1 } } }] }],
  activation: act('HardThreshold', 'xavier', {
    aliases: ['step', 'threshold', 'heaviside'],
    notShown: "the hard threshold's derivative is 0 everywhere (and undefined at 0), so no gradient flows through it and explain/profile cannot show it; use sigmoid or another smooth activation",
  }),
});

export const sigmoid = unary({
  name: 'sigmoid', kernel: { code: 11, ref: sigmoidRef, compiled: BOTH },
  grad: {
    code: 1, reads: 'y', ref: (y) => y * (1 - y), compiled: BOTH,
    second: (T, y, g, gg) => T.mul(T.mul(gg, g), T.sub(1, T.mul(y, 2))), // d/dy [y(1−y)] = 1 − 2y
  },
  math: { label: 'σ', tex: '\\sigma', formula: '1/(1 + e⁻ᶻ)', derivative: 'σ(z)(1 − σ(z))' },
  onnx: one('Sigmoid'),
  activation: act('Sigmoid', 'xavier', { aliases: ['logistic'] }),
});

export const tanh = unary({
  name: 'tanh', kernel: { code: 10, ref: Math.tanh, compiled: BOTH },
  grad: {
    code: 2, reads: 'y', ref: (y) => 1 - y * y, compiled: BOTH,
    second: (T, y, g, gg) => T.mul(T.mul(gg, g), T.mul(y, -2)), // d/dy [1 − y²] = −2y
  },
  math: { label: 'tanh', tex: '\\tanh', formula: '(eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)', derivative: '1 − tanh²(z)' },
  onnx: one('Tanh'),
  activation: act('Tanh', 'xavier'),
});

export const relu = unary({
  name: 'relu', kernel: { code: 12, ref: (v) => (v > 0 ? v : 0), compiled: BOTH },
  grad: { code: 0, reads: 'x', ref: (x) => (x > 0 ? 1 : 0), compiled: BOTH, second: () => null },
  math: { label: 'ReLU', tex: '\\mathrm{ReLU}', formula: 'max(0, z)', derivative: '1 if z > 0 else 0' },
  onnx: one('Relu'),
  activation: act('ReLU', 'he'),
});

export const softplus = unary({
  name: 'softplus',
  // log(1 + e^v) without overflow: max(v, 0) + log1p(e^{−|v|}).
  kernel: { code: 13, ref: (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), compiled: WASM },
  grad: {
    code: 6, reads: 'x', ref: (x) => sigmoidRef(x), compiled: WASM,
    second: (T, x, g, gg) => T.activationGrad('sigmoid', T.sigmoid(x), T.mul(gg, g)), // softplus″ = σ′
  },
  math: { label: 'softplus', tex: '\\mathrm{softplus}', formula: 'log(1 + eᶻ)', derivative: 'σ(z)' },
  onnx: one('Softplus'),
  activation: act('Softplus', 'he'),
});

export const leakyRelu = unary({
  name: 'leakyRelu', params: [{ name: 'slope', default: 0.01, doc: 'the slope for z < 0' }],
  kernel: { code: 15, ref: (v, p) => (v > 0 ? v : p * v), compiled: BOTH },
  grad: { code: 3, reads: 'x', ref: (x, p) => (x > 0 ? 1 : p), compiled: BOTH, second: () => null },
  math: { label: 'LeakyReLU', tex: '\\mathrm{LeakyReLU}', formula: 'z if z > 0 else slope·z', derivative: '1 if z > 0 else slope' },
  onnx: one('LeakyRelu', { alpha: { param: 'slope' } }),
  activation: act('LeakyReLU', 'he', { aliases: ['leaky_relu'] }),
});

export const elu = unary({
  name: 'elu', params: [{ name: 'alpha', default: 1, doc: 'the scale of eᶻ − 1 for z < 0' }],
  kernel: { code: 16, ref: (v, p) => (v > 0 ? v : p * Math.expm1(v)), compiled: WASM },
  grad: {
    code: 4, reads: 'x', ref: (x, p) => (x > 0 ? 1 : p * Math.exp(x)), compiled: WASM,
    second: (T, x, g, gg, p) => T.mul(T.mul(gg, g), T.mul(T.le(x, 0), T.mul(T.exp(x), p))),
  },
  math: { label: 'ELU', tex: '\\mathrm{ELU}', formula: 'z if z > 0 else alpha·(eᶻ − 1)', derivative: '1 if z > 0 else alpha·eᶻ' },
  onnx: one('Elu', { alpha: { param: 'alpha' } }),
  activation: act('ELU', 'he'),
});

export const gelu = unary({
  name: 'gelu',
  kernel: { code: 17, ref: (v) => 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v))), compiled: BOTH },
  grad: {
    code: 5, reads: 'x', compiled: BOTH,
    ref: (v) => {
      const u = GELU_C * (v + GELU_K * v * v * v);
      const t = Math.tanh(u);
      const du = GELU_C * (1 + 3 * GELU_K * v * v);
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du;
    },
    second: (T, x, g, gg) => {
      // f'' = (1 − t²)·(du − x·t·du² + 3·c·k·x²) with u = c(x + k x³), t = tanh u, du = c(1 + 3k x²).
      const x2 = T.square(x);
      const t = T.tanh(T.mul(T.add(x, T.mul(T.mul(x2, x), GELU_K)), GELU_C));
      const du = T.mul(T.add(T.mul(x2, 3 * GELU_K), 1), GELU_C);
      const inner = T.add(T.sub(du, T.mul(T.mul(x, t), T.square(du))), T.mul(x2, 3 * GELU_C * GELU_K));
      return T.mul(T.mul(gg, g), T.mul(T.sub(1, T.square(t)), inner));
    },
  },
  math: { label: 'GELU', tex: '\\mathrm{GELU}', formula: '½·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))', derivative: '½(1 + tanh u) + ½·z·(1 − tanh² u)·u′' },
  onnx: [
    {
      minOpset: 20, nodes: [{ op: 'Gelu', inputs: ['x'], attrs: { approximate: { str: 'tanh' } } }],
      note: "approximate='none' (erf); nabla's gelu is the tanh approximation",
    },
    {
      nodes: [
        { op: 'Mul', inputs: ['x', 'x'] }, { op: 'Mul', inputs: [0, 'x'] }, { op: 'Mul', inputs: [1, { c: GELU_K }] },
        { op: 'Add', inputs: ['x', 2] }, { op: 'Mul', inputs: [3, { c: GELU_C }] }, { op: 'Tanh', inputs: [4] },
        { op: 'Add', inputs: [5, { c: 1 }] }, { op: 'Mul', inputs: ['x', 6] }, { op: 'Mul', inputs: [7, { c: 0.5 }] },
      ],
    },
  ],
  activation: act('GELU', 'he'),
});

// x·σ(x) costs one sigmoid and one multiply, so it is composed; its VJP follows from theirs.
export const silu = unary({
  name: 'silu', compose: (T, x) => T.mul(x, T.sigmoid(x)),
  derivative: (T, x) => { const s = T.sigmoid(x); return T.mul(s, T.add(T.mul(x, T.sub(1, s)), 1)); },
  math: { label: 'SiLU', tex: '\\mathrm{SiLU}', formula: 'z·σ(z)', derivative: 'σ(z)(1 + z(1 − σ(z)))' },
  // ONNX has no SiLU below opset 24 (Swish): it is written as Mul(x, Sigmoid(x)).
  onnx: [{ nodes: [{ op: 'Sigmoid', inputs: ['x'] }, { op: 'Mul', inputs: ['x', 0] }] }],
  activation: act('SiLU', 'he', { aliases: ['swish'] }),
});

export const softmax = unary({
  name: 'softmax', params: [{ name: 'axis', default: -1, doc: 'the axis that sums to 1' }],
  compose: (T, x, axis) => T.softmax(x, axis),
  math: { label: 'softmax', tex: '\\mathrm{softmax}', formula: 'eᶻⁱ / Σⱼ eᶻʲ', derivative: 'diag(s) − s·sᵀ' },
  onnx: one('Softmax', { axis: { int: -1 } }),
  activation: act('Softmax', 'xavier', { hidden: false, elementwise: false }),
});

export const logSoftmax = unary({
  name: 'logSoftmax', params: [{ name: 'axis', default: -1, doc: 'the axis normalised over' }],
  compose: (T, x, axis) => T.logSoftmax(x, axis),
  math: { label: 'log softmax', tex: '\\log\\mathrm{softmax}', formula: 'zᵢ − log Σⱼ eᶻʲ', derivative: 'I − 1·sᵀ' },
  onnx: one('LogSoftmax', { axis: { int: -1 } }),
  activation: act('LogSoftmax', 'xavier', { aliases: ['log_softmax'], hidden: false, elementwise: false, notShown: 'log-softmax has a full Jacobian; use it only on the output layer' }),
});
