// nabla export / import: move models to and from ONNX (the route for serving in any ONNX runtime).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadModel, saveModel, writeFileAtomic } from '../../io/disk.js';
import { exportOnnx, importOnnx, DEFAULT_OPSET, MIN_OPSET, MAX_OPSET } from '../../onnx/index.js';
import { intOption, requirePath } from '../options.js';
import { UsageError } from '../usage-error.js';

export function registerOnnxCommands(program: Command): void {
  program.command('export')
    .description('export a saved model to ONNX')
    .requiredOption('--model <file>', 'a nabla model file')
    .option('--format <fmt>', 'onnx (the only format)', 'onnx')
    .requiredOption('--out <file.onnx>', 'where to write the ONNX model')
    .option('--opset <n>', `ONNX opset ${MIN_OPSET}..${MAX_OPSET}`, String(DEFAULT_OPSET))
    .option('--softmax', 'append a Softmax so the ONNX model outputs probabilities')
    .action((opts: { model: string; format: string; out: string; opset: string; softmax?: boolean }) => {
      if (opts.format !== 'onnx') throw new UsageError(`--format ${opts.format}: only onnx is supported`);
      const { model } = loadModel(requirePath(opts.model, '--model'));
      const bytes = exportOnnx(model, { opset: intOption(opts.opset, '--opset'), softmaxOutput: !!opts.softmax });
      writeFileAtomic(opts.out, bytes);
      process.stdout.write(`wrote ${opts.out} (${bytes.length.toLocaleString('en-US')} bytes, opset ${opts.opset})\n`);
    });

  program.command('import')
    .description('import a plain MLP (Gemm/MatMul + activations) from ONNX into a nabla model file')
    .requiredOption('--onnx <file.onnx>', 'the ONNX model')
    .requiredOption('--out <file>', 'where to write the nabla model')
    .action((opts: { onnx: string; out: string }) => {
      const imported = importOnnx(readFileSync(requirePath(opts.onnx, '--onnx')), opts.onnx);
      saveModel(opts.out, imported.model, { meta: { importedFrom: opts.onnx, opset: imported.opset } });
      process.stdout.write(`wrote ${opts.out} (${imported.layers.length} layers, ${imported.model.numParameters().toLocaleString('en-US')} parameters)\n`);
    });
}
