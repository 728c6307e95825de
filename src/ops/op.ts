// What one op is, as data: the registry (./index.ts) holds one entry of this shape per op, and
// every other part of nabla reads it instead of keeping its own list. This folder imports nothing
// at run time, so every layer may read it: backends take their op codes and reference kernels from
// it, tensor/ dispatches through it, nn/, viz/, onnx/, the CLI and the playground list from it.
// Rules written in tensor ops (VJPs, compositions) receive the ops as an argument (`T`) instead of
// importing them, which is what keeps this folder below tensor/.
import type { Tensor } from '../tensor/tensor.js';
import type * as Elementwise from '../tensor/ops/elementwise.js';
import type { onesLike } from '../tensor/creation.js';
import type { BatchRule } from '../tensor/dispatch.js';

export type { BatchRule };

/** The tensor functions a VJP or JVP rule may use: the elementwise ops and the fused-grad call. */
export type ElementwiseOps = typeof Elementwise;

/** What a composition (or a derivative formula) may use besides: onesLike and softmax. */
export type TensorOps = ElementwiseOps & {
  onesLike: typeof onesLike;
  softmax(x: Tensor, axis?: number): Tensor;
  logSoftmax(x: Tensor, axis?: number): Tensor;
};

/** A compiled backend that can run an op's kernel; an op without one there runs its `ref` in JS. */
export type CompiledBackend = 'wasm' | 'native';

/** A number an op takes besides its inputs (LeakyReLU's slope), with its one default. */
export interface ParamDef {
  readonly name: string;
  readonly default: number;
  readonly doc: string;
}

/** A kernel the backends implement: one code shared by the WASM and native switches. */
export interface KernelDef<F> {
  /** The integer the AssemblyScript and C++ kernels switch on (checked by test/ops/op-codes). */
  readonly code: number;
  /** The reference scalar function the JS backend loops over; compiled kernels must agree with it. */
  readonly ref: F;
  /** Backends with a compiled kernel for this code. */
  readonly compiled: readonly CompiledBackend[];
}

/**
 * A fused backward kernel out = g ⊙ f′(v). `reads` says whether v is the input x (relu) or the
 * output y (sigmoid: σ′ = y(1 − y)); `second` is ∂(g ⊙ f′(v))/∂v ⊙ gg for grad-of-grad, null where f″ = 0.
 */
export interface GradKernelDef extends KernelDef<(v: number, p: number) => number> {
  readonly reads: 'x' | 'y';
  readonly second: (T: ElementwiseOps, v: Tensor, g: Tensor, gg: Tensor, p: number) => Tensor | null;
}

/** How explain, graph and lessons write the op: the notes' name and its derivative. */
export interface MathText {
  /** Short label for graph nodes and equations (σ, ReLU). */
  readonly label: string;
  readonly tex: string;
  /** f(x) in words and symbols. */
  readonly formula: string;
  /** f′(x), as the notes write it. */
  readonly derivative: string;
}

/**
 * One ONNX form of an op: a chain of nodes. An input is 'x' (the op's input), a number k ≥ 0
 * (the output of node k of this form) or { c } (a float scalar constant). Attributes are a float
 * taken from a param ({ param }), or fixed values. Export writes the first form whose minOpset the
 * target reaches; import recognises every form.
 */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly (OnnxOperand)[];
  readonly attrs?: Readonly<Record<string, { param: string } | { int: number } | { str: string }>>;
}
export type OnnxOperand = 'x' | number | { readonly c: number };
export interface OnnxForm {
  readonly nodes: readonly OnnxNode[];
  readonly minOpset?: number;
  /** What the importer says when a node has this form's ops but other fixed attributes. */
  readonly note?: string;
}

/** Where an activation shows up for users: nn's module, the CLI, the playground. */
export interface ActivationInfo {
  /** nn module type, PyTorch's spelling (also the model file's `type`). */
  readonly module: string;
  /** Other spellings users type ('logistic', 'leaky_relu'); compared case-insensitively. */
  readonly aliases?: readonly string[];
  /** The initialiser mlp() picks: He for the ReLU family, Xavier for the saturating ones. */
  readonly init: 'he' | 'xavier';
  /** Offered as a hidden activation (CLI --activation, playground menu). */
  readonly hidden: boolean;
  /** Elementwise (explain and profile can show g′ as a vector); softmax is not. */
  readonly elementwise: boolean;
  /** Why viz cannot show it, when it cannot. */
  readonly notShown?: string;
}

export type UnaryJvp = (T: ElementwiseOps, x: Tensor, y: Tensor, t: Tensor, p: number) => Tensor | null;

/** y = f(x), elementwise unless `activation.elementwise` says otherwise. */
export interface UnaryOpDef {
  readonly kind: 'unary';
  readonly name: string;
  readonly arity: 1;
  readonly params: readonly ParamDef[];
  /** Forward by backend kernel (the op's name is the kernel id). */
  readonly kernel?: KernelDef<(v: number, p: number) => number>;
  /** Forward composed of other ops, when no kernel is worth having; it is recorded as one node. */
  readonly compose?: (T: TensorOps, x: Tensor, p: number) => Tensor;
  /** Fused g ⊙ f′ kernel: the default VJP when set. */
  readonly grad?: GradKernelDef;
  /** f′(x) in tensor ops, for explain and for ops without a fused kernel (the VJP of a composition follows from its parts). */
  readonly derivative?: (T: TensorOps, x: Tensor, y: Tensor, p: number) => Tensor;
  /** ∂L/∂x from g for a kernel op without a fused `grad` kernel; null result: zero gradient. */
  readonly vjp?: (T: ElementwiseOps, x: Tensor, y: Tensor, g: Tensor, p: number) => Tensor | null;
  /** False for ops with no useful gradient (sign, the hard threshold): backward through them is an error. */
  readonly differentiable: boolean;
  /**
   * Forward mode. Left out for elementwise ops: their Jacobian is diagonal, so J·t equals Jᵀ·t and
   * the JVP is the VJP applied to the tangent (jvpOf in ./index.ts).
   */
  readonly jvp?: UnaryJvp;
  /**
   * vmap's batching rule (the type the dispatch door runs). Left out for elementwise ops: they share
   * one rule, which src/autograd/batching-rules.ts gives every registry op that has none.
   */
  readonly batch?: BatchRule;
  readonly math: MathText;
  readonly onnx?: readonly OnnxForm[];
  readonly activation?: ActivationInfo;
}

/** y = a ∘ b elementwise with NumPy broadcasting. */
export interface BinaryOpDef {
  readonly kind: 'binary';
  readonly name: string;
  readonly arity: 2;
  readonly params: readonly ParamDef[];
  readonly kernel: KernelDef<(a: number, b: number) => number>;
  /** [∂L/∂a, ∂L/∂b] at the broadcast shape; absent for ops with no gradient (comparisons). */
  readonly vjp?: (T: ElementwiseOps, a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null];
  readonly differentiable: boolean;
  /** vmap's batching rule, when the shared elementwise one does not fit (see UnaryOpDef.batch). */
  readonly batch?: BatchRule;
  readonly math: MathText;
  /** The ONNX operator computing it. */
  readonly onnx?: string;
}

export type OpDef = UnaryOpDef | BinaryOpDef;
