#!/usr/bin/env node
// The nabla command: thin wrappers over the library, one file per group of commands.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { init, onWarning } from '../index.js';
import { registerTrain } from './commands/train.js';
import { registerModelCommands } from './commands/model-commands.js';
import { registerSeeCommands } from './commands/see-commands.js';
import { registerPlayground } from './commands/playground.js';
import { registerOnnxCommands } from './commands/onnx-commands.js';
import { registerLesson } from './commands/lesson.js';
import { reportAndExit, UsageError } from './usage-error.js';

// The library raises warnings (a backend that could not load, ...); the command line shows them.
onWarning((w) => process.stderr.write(`nabla: ${w.message}\n`));

// The package's own package.json: two levels up from src/cli/ and from dist/cli/ alike.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('nabla')
  .version(version, '-V, --version', 'print the version of nabla')
  .description('multilayer perceptrons and backpropagation: train, evaluate, predict, and see backprop')
  .option('--backend <name>', 'kernels to use: native, wasm or js (default: the fastest available; env NABLA_BACKEND)')
  .option('--verbose', 'print stack traces for errors')
  // One line for usage errors, in the same voice as nabla's own errors.
  .configureOutput({ outputError: (str, write) => write(`nabla: ${str.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`) })
  .exitOverride()
  .hook('preAction', async (cmd) => {
    const b = cmd.opts().backend as string | undefined;
    if (b) {
      if (!['js', 'wasm', 'native'].includes(b)) throw new UsageError(`--backend ${b}: use native, wasm or js`);
      await init({ backend: b as 'js' | 'wasm' | 'native' });
    }
  });

registerTrain(program);
registerModelCommands(program);
registerSeeCommands(program);
registerOnnxCommands(program);
registerLesson(program);
registerPlayground(program);

const verbose = process.argv.includes('--verbose');
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander already printed its one-line message (unknown flag, missing argument, ...).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    process.exit(2);
  }
  reportAndExit(err, verbose);
}
