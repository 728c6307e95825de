// The arithmetic ops: unary math functions and the broadcasting binary ops. Codes are the ones
// the WASM and native kernels switch on; `compiled` lists the backends that have a kernel.
import type { BinaryOpDef, UnaryOpDef } from './op.js';

const BOTH = ['wasm', 'native'] as const;
const WASM = ['wasm'] as const;

function unary(d: Omit<UnaryOpDef, 'kind' | 'arity' | 'params' | 'differentiable'> & Partial<Pick<UnaryOpDef, 'differentiable'>>): UnaryOpDef {
  return { kind: 'unary', arity: 1, params: [], differentiable: true, ...d };
}

function binary(d: Omit<BinaryOpDef, 'kind' | 'arity' | 'params' | 'differentiable'>): BinaryOpDef {
  return { kind: 'binary', arity: 2, params: [], differentiable: d.vjp !== undefined, ...d };
}

const text = (label: string, formula: string, derivative: string, tex = label) => ({ label, tex, formula, derivative });

export const neg = unary({
  name: 'neg', kernel: { code: 0, ref: (v) => -v, compiled: BOTH },
  vjp: (T, _x, _y, g) => T.neg(g), math: text('−', '−x', '−1'), onnx: [{ nodes: [{ op: 'Neg', inputs: ['x'] }] }],
});
export const exp = unary({
  name: 'exp', kernel: { code: 1, ref: Math.exp, compiled: BOTH },
  vjp: (T, _x, y, g) => T.mul(g, y), math: text('exp', 'eˣ', 'eˣ', '\\exp'), onnx: [{ nodes: [{ op: 'Exp', inputs: ['x'] }] }],
});
export const log = unary({
  name: 'log', kernel: { code: 2, ref: Math.log, compiled: WASM },
  vjp: (T, x, _y, g) => T.div(g, x), math: text('log', 'ln x', '1/x', '\\log'), onnx: [{ nodes: [{ op: 'Log', inputs: ['x'] }] }],
});
export const sqrt = unary({
  name: 'sqrt', kernel: { code: 3, ref: Math.sqrt, compiled: BOTH },
  vjp: (T, _x, y, g) => T.div(g, T.mul(y, 2)), math: text('√', '√x', '1/(2√x)', '\\sqrt'), onnx: [{ nodes: [{ op: 'Sqrt', inputs: ['x'] }] }],
});
export const abs = unary({
  name: 'abs', kernel: { code: 4, ref: Math.abs, compiled: BOTH },
  vjp: (T, x, _y, g) => T.mul(g, T.sign(x)), math: text('|·|', '|x|', 'sign(x)'), onnx: [{ nodes: [{ op: 'Abs', inputs: ['x'] }] }],
});
export const sign = unary({
  name: 'sign', kernel: { code: 5, ref: (v) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN), compiled: BOTH },
  differentiable: false, math: text('sign', 'sign(x)', '0 (undefined at 0)', '\\operatorname{sign}'),
  onnx: [{ nodes: [{ op: 'Sign', inputs: ['x'] }] }],
});
export const square = unary({
  name: 'square', kernel: { code: 6, ref: (v) => v * v, compiled: BOTH },
  vjp: (T, x, _y, g) => T.mul(g, T.mul(x, 2)), math: text('²', 'x²', '2x'),
});
export const reciprocal = unary({
  name: 'reciprocal', kernel: { code: 7, ref: (v) => 1 / v, compiled: BOTH },
  vjp: (T, _x, y, g) => T.neg(T.mul(g, T.square(y))), math: text('1/·', '1/x', '−1/x²'), onnx: [{ nodes: [{ op: 'Reciprocal', inputs: ['x'] }] }],
});
export const sin = unary({
  name: 'sin', kernel: { code: 8, ref: Math.sin, compiled: WASM },
  vjp: (T, x, _y, g) => T.mul(g, T.cos(x)), math: text('sin', 'sin x', 'cos x', '\\sin'), onnx: [{ nodes: [{ op: 'Sin', inputs: ['x'] }] }],
});
export const cos = unary({
  name: 'cos', kernel: { code: 9, ref: Math.cos, compiled: WASM },
  vjp: (T, x, _y, g) => T.neg(T.mul(g, T.sin(x))), math: text('cos', 'cos x', '−sin x', '\\cos'), onnx: [{ nodes: [{ op: 'Cos', inputs: ['x'] }] }],
});

export const add = binary({
  name: 'add', kernel: { code: 0, ref: (a, b) => a + b, compiled: BOTH },
  vjp: (_T, _a, _b, _y, g) => [g, g], math: text('+', 'a + b', '∂/∂a = 1, ∂/∂b = 1'), onnx: 'Add',
});
export const sub = binary({
  name: 'sub', kernel: { code: 1, ref: (a, b) => a - b, compiled: BOTH },
  vjp: (T, _a, _b, _y, g) => [g, T.neg(g)], math: text('−', 'a − b', '∂/∂a = 1, ∂/∂b = −1'), onnx: 'Sub',
});
export const mul = binary({
  name: 'mul', kernel: { code: 2, ref: (a, b) => a * b, compiled: BOTH },
  vjp: (T, a, b, _y, g) => [T.mul(g, b), T.mul(g, a)], math: text('·', 'a · b', '∂/∂a = b, ∂/∂b = a'), onnx: 'Mul',
});
export const div = binary({
  name: 'div', kernel: { code: 3, ref: (a, b) => a / b, compiled: BOTH },
  vjp: (T, _a, b, y, g) => [T.div(g, b), T.neg(T.div(T.mul(g, y), b))], math: text('/', 'a / b', '∂/∂a = 1/b, ∂/∂b = −a/b²'), onnx: 'Div',
});
export const pow = binary({
  name: 'pow', kernel: { code: 4, ref: Math.pow, compiled: WASM },
  vjp: (T, a, b, y, g) => [
    a.requiresGrad ? T.mul(g, T.mul(b, T.pow(a, T.sub(b, 1)))) : null,
    b.requiresGrad ? T.mul(g, T.mul(y, T.log(a))) : null,
  ],
  math: text('^', 'aᵇ', '∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a'), onnx: 'Pow',
});
// NaN in a wins (a >= b || isNaN(a) ? a : b); ties send the gradient to a.
export const maximum = binary({
  name: 'maximum', kernel: { code: 5, ref: (a, b) => (a >= b || Number.isNaN(a) ? a : b), compiled: BOTH },
  vjp: (T, a, b, _y, g) => [T.mul(g, T.ge(a, b)), T.mul(g, T.lt(a, b))], math: text('max', 'max(a, b)', '1 for the larger input'), onnx: 'Max',
});
export const minimum = binary({
  name: 'minimum', kernel: { code: 6, ref: (a, b) => (a <= b || Number.isNaN(a) ? a : b), compiled: BOTH },
  vjp: (T, a, b, _y, g) => [T.mul(g, T.le(a, b)), T.mul(g, T.gt(a, b))], math: text('min', 'min(a, b)', '1 for the smaller input'), onnx: 'Min',
});
const compare = (name: string, code: number, ref: (a: number, b: number) => boolean, sym: string, onnx: string) =>
  binary({ name, kernel: { code, ref: (a, b) => (ref(a, b) ? 1 : 0), compiled: BOTH }, math: text(sym, `a ${sym} b`, '0 (a step)'), onnx });
export const eq = compare('eq', 7, (a, b) => a === b, '=', 'Equal');
export const ne = compare('ne', 8, (a, b) => a !== b, '≠', 'Not(Equal)');
export const lt = compare('lt', 9, (a, b) => a < b, '<', 'Less');
export const le = compare('le', 10, (a, b) => a <= b, '≤', 'LessOrEqual');
export const gt = compare('gt', 11, (a, b) => a > b, '>', 'Greater');
export const ge = compare('ge', 12, (a, b) => a >= b, '≥', 'GreaterOrEqual');
