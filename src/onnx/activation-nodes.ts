// Each activation as ONNX nodes, from the op registry's ONNX forms (src/ops/activations.ts): export
// writes the first form the target opset has; import recognises every form. Where ONNX has no op
// with nabla's exact definition, the form composes standard ops so any runtime computes the same.
import { ConfigError } from '../errors.js';
import { activation as activationDef, activations, paramOf, type OnnxForm, type OnnxNode } from '../ops/index.js';
import { floatAttr, intAttr, stringAttr, type GraphBuilder, type OnnxAttribute } from './graph-builder.js';

/** Emit `act(x)`; returns the output value name. */
export function emitActivation(g: GraphBuilder, act: string, x: string, param: number | undefined, opset: number): string {
  const def = activationDef(act);
  const form = def.onnx?.find((f) => (f.minOpset ?? 0) <= opset);
  if (!form) throw new ConfigError(`ONNX export: activation '${act}' has no ONNX form at opset ${opset}`);
  const outs: string[] = [];
  form.nodes.forEach((n, k) => {
    const inputs = n.inputs.map((o) => (o === 'x' ? x : typeof o === 'number' ? outs[o] : g.scalar(o.c)));
    const attrs = Object.entries(n.attrs ?? {}).map(([name, v]): OnnxAttribute =>
      'param' in v ? floatAttr(name, paramOf(def, param, def.params.findIndex((p) => p.name === v.param)))
        : 'int' in v ? intAttr(name, v.int) : stringAttr(name, v.str));
    const stem = form.nodes.length === 1 ? undefined : k === form.nodes.length - 1 ? def.name : `${def.name}_${k}`;
    outs.push(g.node(n.op, inputs, attrs, stem));
  });
  return outs.at(-1) ?? x;
}

/** An activation's form as the importer matches it. */
export interface ImportForm {
  readonly activation: string;
  readonly form: OnnxForm;
}

/** Every activation's forms, longest first, so that Sigmoid→Mul is SiLU before it is σ. */
export function importForms(): ImportForm[] {
  const out: ImportForm[] = [];
  for (const a of activations()) for (const form of a.onnx ?? []) if (form.nodes.length > 0) out.push({ activation: a.name, form });
  return out.sort((p, q) => q.form.nodes.length - p.form.nodes.length);
}

/** The ONNX operators some activation form uses. */
export function activationOnnxOps(): Set<string> {
  return new Set(importForms().flatMap((f) => f.form.nodes.map((n: OnnxNode) => n.op)));
}

/** 'Relu', 'LeakyRelu', 'Mul(x, Sigmoid(x))'...: the forms, for error messages. */
export function describeForms(): string {
  return [...new Set(importForms().map(({ form }) => (form.nodes.length === 1 ? form.nodes[0].op : form.nodes.map((n) => n.op).join('+'))))].join(', ');
}
