// nabla export / import: move pipelines to and from ONNX (the route for serving in any ONNX runtime).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Pipeline, type Module } from '../../index.js';
import { loadModel, savePipeline, writeFileAtomic } from '../../node.js';
import { exportOnnx, importOnnx, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET } from '../../onnx/index.js';
import { intOption, listOption, requirePath, requireWritableFile } from '../options.js';
import { UsageError } from '../usage-error.js';

const list = (names: readonly string[], max = 8) => (names.length > max ? `${names.slice(0, max).join(', ')}, ... (${names.length})` : names.join(', '));

export function registerOnnxCommands(program: Command): void {
  program.command('export')
    .description('export a saved pipeline to ONNX: one float32 input of the CSV\'s feature columns (file order, label removed), preprocessing in the graph')
    .requiredOption('--model <file>', 'a model saved by nabla train or nabla import')
    .option('--format <fmt>', 'onnx (the only format)', 'onnx')
    .requiredOption('--out <file.onnx>', 'where to write the ONNX model')
    .option('--opset <n>', `ONNX opset ${MIN_OPSET}..${MAX_OPSET}`, String(DEFAULT_OPSET))
    .option('--softmax', 'make the output the class probabilities, as nabla predict gives them: softmax for a cross-entropy model, sigmoid as [1 - p, p] for BCE')
    .action((opts: { model: string; format: string; out: string; opset: string; softmax?: boolean }) => {
      if (opts.format !== 'onnx') throw new UsageError(`--format ${opts.format}: only onnx is supported`);
      requireWritableFile(opts.out, '--out');
      const file = loadModel(requirePath(opts.model, '--model'));
      // A file with a task is a pipeline (errors in its meta are reported); one without is a bare model.
      const target: Module | Pipeline = (file.meta as { task?: unknown } | undefined)?.task !== undefined ? Pipeline.fromModelFile(file, opts.model) : file.model;
      if (target instanceof Pipeline && opts.softmax && target.task === 'regression') {
        throw new UsageError(`--softmax: ${opts.model} is a regression model; it outputs values, not class probabilities`);
      }
      const opset = intOption(opts.opset, '--opset');
      const bytes = exportOnnx(target, { opset, probabilities: !!opts.softmax });
      writeFileAtomic(opts.out, bytes);
      const lines = [`wrote ${opts.out} (${bytes.length.toLocaleString('en-US')} bytes, opset ${opset})`];
      if (target instanceof Pipeline) {
        lines.push(`input 'input': float32 [batch, ${target.inputWidth}], the columns ${list(target.featureNames)}${target.scaler ? ' (scaled in the graph)' : ''}`);
        const out = opts.softmax ? 'probabilities' : target.outputs;
        const k = opts.softmax ? target.predictProba([new Array<number>(target.inputWidth).fill(0)]).shape[1] : undefined;
        lines.push(`output '${out}'${k ? `: p_${target.classNamesOrIndices(k).join(', p_')}` : ''}`);
      } else {
        lines.push('a bare model (no task or preprocessing stored): the graph takes the model\'s own inputs');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program.command('import')
    .description('import a plain MLP (Gemm/MatMul + activations, as PyTorch exports it) from ONNX as a pipeline for eval, predict and info')
    .requiredOption('--onnx <file.onnx>', 'the ONNX model')
    .requiredOption('--out <file>', 'where to write the nabla model')
    .option('--task <task>', 'classification or regression (default: classification when the graph ends in Softmax, LogSoftmax or Sigmoid on one output)')
    .option('--classes <names>', 'class names, comma-separated, in output order (default: from nabla\'s metadata, else 0..k-1)')
    .option('--label <column>', 'the label column of CSV data for eval (default: label)')
    .action((opts: { onnx: string; out: string; task?: string; classes?: string; label?: string }) => {
      requireWritableFile(opts.out, '--out');
      if (opts.task !== undefined && opts.task !== 'classification' && opts.task !== 'regression') throw new UsageError(`--task ${opts.task}: use classification or regression`);
      const classNames = opts.classes?.split(',').map((c) => c.trim());
      if (classNames && (classNames.some((c) => c === '') || new Set(classNames).size !== classNames.length)) throw new UsageError(`--classes ${opts.classes}: give distinct, non-empty names`);
      const imported = importOnnx(readFileSync(requirePath(opts.onnx, '--onnx')), opts.onnx, {
        ...(opts.task ? { task: opts.task as 'classification' | 'regression' } : {}),
        ...(classNames ? { classNames } : {}),
        ...(opts.label ? { label: opts.label } : {}),
      });
      const p = imported.pipeline;
      savePipeline(opts.out, p);
      process.stdout.write(`wrote ${opts.out} (${imported.layers.length} layers, ${p.model.numParameters().toLocaleString('en-US')} parameters): `
        + `a ${p.task} pipeline, ${p.inputWidth} input features, outputs ${p.outputs}${p.classNames ? `, classes ${list(p.classNames)}` : ''}\n`);
    });
}
