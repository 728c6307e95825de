// nabla graph / explain / profile: the "see backprop" tools, on a small network
// built from flags or on a saved model.
import type { Command } from 'commander';
import {
  explainScalarTrace, formatProfile, halfSquaredError, lectureGraph, mlp, netOfModule, profile, randn, scalarExamples, tensor, toDot,
  toMermaid, toSvg, type DType, type GraphSource, type Module, type ScalarExample,
} from '../../index.js';
import { loadModel } from '../../node.js';
import { runExplain, type ExplainFlags } from './explain.js';
import { floatOption, intOption, listOption, requirePath } from '../options.js';
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
    .description("the computational graph of one example's forward + backward pass as the notes draw it (x, W⁽ˡ⁾, b⁽ˡ⁾, z⁽ˡ⁾, h⁽ˡ⁾, ŷ, L, and s, J with --l2), as DOT, Mermaid or SVG")
    .option('--format <fmt>', 'dot, mermaid or svg', 'dot')
    .option('--values', 'show forward values and gradients')
    .option('--l2 <lambda>', "draw the regularised objective J = L + s, s = λ/2·Σ‖W⁽ˡ⁾‖²_F", '0')
    .option('--loss <name>', 'half-mse or ce (target: class 0)', 'half-mse')
    .option('--scalar <example>', `a scalar worked example of the notes instead: ${scalarExamples.join(', ')}`)
    .option('--ops', 'every engine op (matmul, add, sub, square, ...) instead of the lecture quantities')
    .action(async (opts: NetFlags & { format: string; values?: boolean; l2: string; loss: string; scalar?: string; ops?: boolean }) => {
      if (!['dot', 'mermaid', 'svg'].includes(opts.format)) throw new UsageError(`--format ${opts.format}: use dot, mermaid or svg`);
      if (opts.loss !== 'half-mse' && opts.loss !== 'ce') throw new UsageError(`--loss ${opts.loss}: use half-mse or ce`);
      const l2 = floatOption(opts.l2, '--l2', 0);
      const show = { showValues: !!opts.values, showGrads: !!opts.values };
      const draw = async (g: GraphSource) => process.stdout.write(opts.format === 'dot' ? toDot(g, show) : opts.format === 'mermaid' ? toMermaid(g, show) : await toSvg(g, show));
      if (opts.scalar) {
        if (!scalarExamples.includes(opts.scalar as ScalarExample)) throw new UsageError(`--scalar ${opts.scalar}: use one of ${scalarExamples.join(', ')}`);
        // The example's result (f or L) is the last value it names.
        const nodes = Object.values(explainScalarTrace(opts.scalar as ScalarExample).nodes);
        await draw(nodes[nodes.length - 1]);
        return;
      }
      const model = modelFrom(opts, 'float64');
      const net = netOfModule(model);
      const seed = intOption(opts.seed, '--seed');
      const inDim = net.layers[0].weight.shape[0];
      const outDim = net.layers[net.layers.length - 1].weight.shape[1];
      const xs = numbers(undefined, '', inDim, seed + 1), ts = numbers(undefined, '', outDim, seed + 2);
      if (!opts.ops) {
        await draw(lectureGraph(net, xs, opts.loss === 'ce' ? 0 : ts, { loss: opts.loss, l2 }));
        return;
      }
      if (l2 > 0 || opts.loss !== 'half-mse') throw new UsageError('--ops draws the half-MSE loss only; leave out --l2 and --loss, or drop --ops');
      const x = tensor([xs], { dtype: model.parameters()[0].dtype });
      x.name = 'x';
      // Dotted names ('0.weight', '2.weight') tell the layers apart in the picture.
      for (const [name, p] of model.namedParameters()) p.name = name;
      const y = tensor([ts], { dtype: x.dtype });
      const loss = halfSquaredError(model.forward(x), y);
      loss.name = 'L';
      loss.backward(undefined, { retainGraph: true });
      await draw(loss);
    });

  program.command('explain')
    .description("forward and backward pass written as the notes write them: one example, or with --batch/--l2/--json the matrix form on a minibatch")
    .option('--model <file>', 'a saved model instead of --layers (a classifier is explained with cross-entropy on real rows of its data)')
    .option('--layers <sizes>', "all layer sizes, input to output; linear output layer (default: the notes' 2-3-1 example with fixed weights)", '2,3,1')
    .option('--activation <name>', 'hidden activation', 'relu')
    .option('--seed <n>', 'seed for random weights and examples (setting it, --layers or --activation replaces the fixed weights)', '0')
    .option('--batch <n>', 'matrix form on a minibatch of n examples (default 1 when --l2, --json or --convention asks for the matrix form)')
    .option('--l2 <lambda>', "λ of the objective J = L + λ/2·Σ‖W⁽ˡ⁾‖²_F (biases not penalised)", '0')
    .option('--convention <c>', 'row (X is n×d, W is [in, out]: the Freiburg notes, PyTorch) or column (W is [out, in]: D2L, CSC413)', 'row')
    .option('--input <numbers>', "the examples, comma-separated, rows separated by ';' (default: the notes' x = 1,2, or random from --seed)")
    .option('--target <numbers>', "targets, rows separated by ';'; with --loss ce one class index per example (default: the notes' t = 1, or random from --seed, class 0)")
    .option('--loss <name>', 'half-mse (L = 1/(2n)‖Ŷ − T‖²) or ce (cross-entropy on the logits)', 'half-mse')
    .option('--scalar <example>', `a scalar worked example instead: ${scalarExamples.join(', ')}`)
    .option('--markdown', 'Markdown with LaTeX instead of terminal text')
    .option('--json', 'the matrix form as one JSON object on the last line: X, T, weights ([in, out]), biases, activation, loss, l2, L, J, grads (float64)')
    .action((opts: ExplainFlags, cmd: Command) => runExplain(opts, cmd));

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

