// The op registry: every op nabla has, each defined once (./math.ts, ./activations.ts), and the
// questions the rest of nabla asks about them. Nothing outside this folder keeps a list of ops.
import { ConfigError } from '../errors.js';
import * as activationDefs from './activations.js';
import * as mathDefs from './math.js';
import type { Tensor } from '../tensor/tensor.js';
import type { BinaryOpDef, CompiledBackend, OpDef, UnaryJvp, UnaryOpDef } from './op.js';

export type * from './op.js';

const ALL: readonly OpDef[] = [...Object.values(mathDefs), ...Object.values(activationDefs)];

const BY_NAME = new Map<string, OpDef>();
for (const d of ALL) {
  if (BY_NAME.has(d.name)) throw new Error(`op registry: '${d.name}' is defined twice`);
  BY_NAME.set(d.name, d);
}

/** Every registered op, in definition order. */
export function allOps(): readonly OpDef[] {
  return ALL;
}

export function unaryOp(name: string): UnaryOpDef {
  const d = BY_NAME.get(name);
  if (d?.kind !== 'unary') throw new ConfigError(`unknown unary op '${name}'`);
  return d;
}

export function binaryOp(name: string): BinaryOpDef {
  const d = BY_NAME.get(name);
  if (d?.kind !== 'binary') throw new ConfigError(`unknown binary op '${name}'`);
  return d;
}

/** The value an op's k-th parameter takes when the caller gives none. */
export function paramOf(def: OpDef, given?: number, k = 0): number {
  return given ?? def.params[k]?.default ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Activations

type Activation = UnaryOpDef & { readonly activation: NonNullable<UnaryOpDef['activation']> };

const ACTIVATIONS: readonly Activation[] = ALL.filter((d): d is Activation => d.kind === 'unary' && d.activation !== undefined);

const SPELLINGS = new Map<string, Activation>();
for (const a of ACTIVATIONS) {
  for (const s of [a.name, a.activation.module, ...(a.activation.aliases ?? [])]) SPELLINGS.set(s.toLowerCase(), a);
}

/** Every activation (nn's modules and model files know these). */
export function activations(): readonly Activation[] {
  return ACTIVATIONS;
}

/** The activations offered between hidden layers (CLI --activation, the playground's menu). */
export function hiddenActivationNames(): string[] {
  return ACTIVATIONS.filter((a) => a.activation.hidden).map((a) => a.name);
}

/** The activation a user's spelling means: 'ReLU', 'leaky_relu', 'linear', 'logistic' ... */
export function activation(name: string): Activation {
  // Canonical lower-case names (what layers pass on every call) are found without lowercasing.
  const a = SPELLINGS.get(name) ?? SPELLINGS.get(name.toLowerCase());
  if (!a) throw new ConfigError(`unknown activation '${name}': use one of ${ACTIVATIONS.map((x) => x.name).join(', ')}`);
  return a;
}

/** The activation whose nn module type (model file `type`) is this, if any. */
export function activationOfModule(type: string): Activation | undefined {
  return ACTIVATIONS.find((a) => a.activation.module === type);
}

// ---------------------------------------------------------------------------------------------
// Kernel codes: the numbers the compiled backends switch on, one numbering for all of them.

export type KernelTable = 'unary' | 'unaryGrad' | 'binary';

/** name → code for the kernels `backend` has compiled; names absent here run the JS reference. */
export function kernelCodes(table: KernelTable, backend: CompiledBackend): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of ALL) {
    const k = table === 'binary' ? (d.kind === 'binary' ? d.kernel : undefined)
      : d.kind === 'unary' ? (table === 'unary' ? d.kernel : d.grad) : undefined;
    if (k && k.compiled.includes(backend)) out[d.name] = k.code;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Forward mode

/**
 * The JVP of an elementwise unary op. Its Jacobian is diagonal, so J·t = Jᵀ·t: the VJP applied to
 * the tangent is the JVP. Ops whose Jacobian is not diagonal must define `jvp` themselves.
 */
export function jvpOf(def: UnaryOpDef): UnaryJvp {
  if (def.jvp) return def.jvp;
  if (def.activation && !def.activation.elementwise) throw new ConfigError(`op '${def.name}' has no JVP rule (its Jacobian is not diagonal)`);
  return (T, x, y, t, p) => {
    if (def.vjp) return def.vjp(T, x, y, t, p);
    if (def.grad) return T.activationGrad(def.name, def.grad.reads === 'x' ? x : y, t, p);
    throw new ConfigError(`op '${def.name}' has no JVP rule`);
  };
}
