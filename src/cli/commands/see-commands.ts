// nabla graph / explain / profile: the "see backprop" tools, on a small network
// built from flags or on a saved model.
import type { Command } from 'commander';
import { mlp } from '../../nn/mlp.js';
import type { Module } from '../../nn/module.js';
import { loadModel } from '../../io/disk.js';
import { randn, tensor } from '../../tensor/creation.js';
import { halfSquaredError } from '../../nn/losses/squared-error.js';
import { toDot, toMermaid, toSvg, explain, explainDefault, explainScalar, profile, formatProfile, scalarExamples, type ScalarExample } from '../../viz/index.js';
import { netOfModule } from '../../viz/index.js';
import type { DType } from '../../tensor/tensor.js';
import { intOption, listOption, requirePath } from '../options.js';
import { UsageError } from '../usage-error.js';

interface NetFlags { model?: string; layers: string; activation: string; seed: string }

/** A saved model, or an MLP from the flags (float64 for exact printed numbers, float32 to time). */
function modelFrom(flags: NetFlags, dtype: DType): Module {
  if (flags.model) return loadModel(requirePath(flags.model, '--model')).model;
  const sizes = listOption(flags.layers, '--layers');
  if (sizes.length < 2) throw new UsageError('--layers needs at least input and output sizes, e.g. 2,3,1');
  return mlp(sizes, { activation: flags.activation, seed: intOption(flags.seed, '--seed'), dtype });
}

function numbers(v: string | undefined, flag: string, n: number, seed: number): number[] {
  if (v === undefined) return Array.from(randn([n], { seed, dtype: 'float64' }).data).map((x) => +x.toFixed(2));
  const xs = v.split(',').map((s) => Number(s));
  if (xs.length !== n || xs.some((x) => !Number.isFinite(x))) throw new UsageError(`${flag} ${v}: expected ${n} comma-separated numbers`);
  return xs;
}

export function registerSeeCommands(program: Command): void {
  const netOptions = (c: Command, layers = '2,3,1', activation = 'sigmoid') => c
    .option('--model <file>', 'a saved model instead of --layers')
    .option('--layers <sizes>', 'all layer sizes, input to output', layers)
    .option('--activation <name>', 'hidden activation', activation)
    .option('--seed <n>', 'seed for the weights and example', '0');

  netOptions(program.command('graph'))
    .description('the computational graph of a forward + backward pass, as DOT, Mermaid or SVG')
    .option('--format <fmt>', 'dot, mermaid or svg', 'dot')
    .option('--values', 'show forward values and gradients')
    .action(async (opts: NetFlags & { format: string; values?: boolean }) => {
      const model = modelFrom(opts, 'float64');
      const net = netOfModule(model);
      const seed = intOption(opts.seed, '--seed');
      const inDim = net.layers[0].weight.shape[0];
      const outDim = net.layers[net.layers.length - 1].weight.shape[1];
      const x = tensor([numbers(undefined, '', inDim, seed + 1)], { dtype: model.parameters()[0].dtype });
      x.name = 'x';
      // Dotted names ('0.weight', '2.weight') tell the layers apart in the picture.
      for (const [name, p] of model.namedParameters()) p.name = name;
      const y = tensor([numbers(undefined, '', outDim, seed + 2)], { dtype: x.dtype });
      const loss = halfSquaredError(model.forward(x), y);
      loss.name = 'L';
      loss.backward(undefined, { retainGraph: true });
      const show = { showValues: !!opts.values, showGrads: !!opts.values };
      if (opts.format === 'dot') process.stdout.write(toDot(loss, show));
      else if (opts.format === 'mermaid') process.stdout.write(toMermaid(loss, show));
      else if (opts.format === 'svg') process.stdout.write(await toSvg(loss, show));
      else throw new UsageError(`--format ${opts.format}: use dot, mermaid or svg`);
    });

  netOptions(program.command('explain'))
    .description("the forward and backward pass of a small network on one example, written as the notes write it")
    .option('--input <numbers>', 'the example x, comma-separated (default: random from --seed)')
    .option('--target <numbers>', 'the target y, or with --loss ce the class index (default: random from --seed, class 0)')
    .option('--loss <name>', 'half-mse or ce', 'half-mse')
    .option('--scalar <example>', `a scalar worked example instead: ${scalarExamples.join(', ')}`)
    .option('--markdown', 'Markdown with LaTeX instead of terminal text')
    .action((opts: NetFlags & { input?: string; target?: string; loss: string; scalar?: string; markdown?: boolean }, cmd: Command) => {
      const format = opts.markdown ? 'markdown' : 'text';
      if (opts.scalar) {
        if (!scalarExamples.includes(opts.scalar as ScalarExample)) throw new UsageError(`--scalar ${opts.scalar}: use one of ${scalarExamples.join(', ')}`);
        process.stdout.write(explainScalar(opts.scalar as ScalarExample, { format }));
        return;
      }
      const custom = ['model', 'layers', 'activation', 'input', 'target', 'seed', 'loss'].some((k) => cmd.getOptionValueSource(k) === 'cli');
      if (!custom) { process.stdout.write(explainDefault({ format })); return; }
      if (opts.loss !== 'half-mse' && opts.loss !== 'ce') throw new UsageError(`--loss ${opts.loss}: use half-mse or ce`);
      const model = modelFrom(opts, 'float64');
      const net = netOfModule(model);
      const seed = intOption(opts.seed, '--seed');
      const inDim = net.layers[0].weight.shape[0], outDim = net.layers[net.layers.length - 1].weight.shape[1];
      const x = numbers(opts.input, '--input', inDim, seed + 1);
      // For cross-entropy the target is a class index (explain one-hot encodes a number).
      const target = opts.loss === 'ce' ? intOption(opts.target ?? '0', '--target', 0) : numbers(opts.target, '--target', outDim, seed + 2);
      process.stdout.write(explain(net, x, target, { format, loss: opts.loss }));
    });

  netOptions(program.command('profile'), '784,256,128,10', 'relu')
    .description('per-layer FLOPs, time and memory of forward and backward, and the backward/forward ratio')
    .option('--batch-size <n>', 'rows in the batch', '128')
    .option('--json', 'print JSON')
    .action((opts: NetFlags & { batchSize: string; json?: boolean }) => {
      const model = modelFrom(opts, 'float32');
      const net = netOfModule(model);
      const n = intOption(opts.batchSize, '--batch-size', 1);
      const batch = randn([n, net.layers[0].weight.shape[0]], { seed: 3, dtype: model.parameters()[0].dtype });
      const report = profile(net, batch);
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatProfile(report));
    });
}

